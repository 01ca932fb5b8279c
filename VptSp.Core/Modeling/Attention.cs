using TorchSharp;
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
    private readonly Scalar _scale;

    public Attention(string name, int dim, int numHeads, bool qkvBias = true) : base(name)
    {
        if (dim % numHeads != 0) throw new ArgumentException($"attention width {dim} is not divisible by {numHeads} heads");
        _heads = numHeads;
        _scale = (1.0 / Math.Sqrt(dim / numHeads)).ToScalar();
        qkv = new Dense("qkv", dim, 3L * dim, qkvBias);
        proj = new Dense("proj", dim, dim);
        RegisterComponents();
    }

    /// <summary>Forces one kernel for this module (benchmarks and tests); null (the default) lets <see cref="AttentionKernels.Choose"/> pick.</summary>
    public AttentionKernel? Kernel { get; set; }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (b, n, c) = (x.shape[0], x.shape[1], x.shape[2]);
        var parts = qkv.call(x).reshape(b, n, 3, _heads, c / _heads).permute(2, 0, 3, 1, 4).unbind(0);
        // softmax(q·kᵀ/√head_dim)·v
        var kernel = Kernel ?? AttentionKernels.Choose(parts[0].dtype, is_grad_enabled() && parts[0].requires_grad);
        var o = kernel == AttentionKernel.Fused
            ? nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2])
            : ExplicitAttention(parts[0], parts[1], parts[2]);
        return proj.call(o.transpose(1, 2).reshape(b, n, c)).MoveToOuterDisposeScope();
    }

    /// <summary>softmax(q·kᵀ·scale)·v with two batched products (B×H×N×d each); the soft-max runs in the input's type.</summary>
    private Tensor ExplicitAttention(Tensor q, Tensor k, Tensor v) =>
        q.mul(_scale).matmul(k.transpose(-2, -1)).softmax(-1).matmul(v);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _scale.Dispose();
        base.Dispose(disposing);
    }
}
