using static TorchSharp.torch;

namespace VptSp.Core.Modeling;

/// <summary>Multi-head self-attention with timm's fused <c>qkv</c> (output split as [3, heads, head_dim]) and <c>proj</c>.</summary>
public sealed class Attention : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly Dense qkv;
    private readonly Dense proj;
#pragma warning restore IDE1006
    private readonly int _heads;

    public Attention(string name, int dim, int numHeads, bool qkvBias = true) : base(name)
    {
        if (dim % numHeads != 0) throw new ArgumentException($"attention width {dim} is not divisible by {numHeads} heads");
        _heads = numHeads;
        qkv = new Dense("qkv", dim, 3L * dim, qkvBias);
        proj = new Dense("proj", dim, dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (b, n, c) = (x.shape[0], x.shape[1], x.shape[2]);
        var parts = qkv.call(x).reshape(b, n, 3, _heads, c / _heads).permute(2, 0, 3, 1, 4).unbind(0);
        // softmax(q·kᵀ/√head_dim)·v, fused
        var o = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2]);
        return proj.call(o.transpose(1, 2).reshape(b, n, c)).MoveToOuterDisposeScope();
    }
}
