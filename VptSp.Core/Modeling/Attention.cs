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

    /// <summary>
    /// The output of token <paramref name="index"/> alone (B×1×C): its query attends over the keys and values of every token of
    /// <paramref name="x"/>, so it equals <c>forward(x)[:, index]</c> while computing one query row instead of N (keys and values
    /// still come from all tokens). For the last block of an embedding that only reads the class token.
    /// </summary>
    public Tensor ForwardQuery(Tensor x, long index)
    {
        using var scope = NewDisposeScope();
        var (b, n, c) = (x.shape[0], x.shape[1], x.shape[2]);
        var hd = c / _heads;
        var q = qkv.ForwardRows(x.narrow(1, index, 1), 0, c).reshape(b, 1, _heads, hd).transpose(1, 2);   // B×H×1×d
        var kv = qkv.ForwardRows(x, c, 2 * c).reshape(b, n, 2, _heads, hd).permute(2, 0, 3, 1, 4).unbind(0);
        var o = ExplicitAttention(q, kv[0], kv[1]);   // one query row: the fused kernel's blocking has nothing to gain
        return proj.call(o.transpose(1, 2).reshape(b, 1, c)).MoveToOuterDisposeScope();
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
