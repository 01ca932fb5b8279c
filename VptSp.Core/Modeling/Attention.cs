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
        return Attend(parts[0], parts[1], parts[2], b, n, c).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The outputs of tokens [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) alone (B×count×C):
    /// their queries attend over the keys and values of every token of <paramref name="x"/>, so this equals the same rows of
    /// <c>forward(x)</c> while the other tokens contribute only keys and values (no query, no soft-max row, no output projection).
    /// </summary>
    public Tensor ForwardQueries(Tensor x, long start, long count)
    {
        var (b, n, c) = (x.shape[0], x.shape[1], x.shape[2]);
        if (start == 0 && count == n) return forward(x);
        using var scope = NewDisposeScope();
        var hd = c / _heads;
        var q = qkv.ForwardRows(x.narrow(1, start, count), 0, c).reshape(b, count, _heads, hd).transpose(1, 2);   // B×H×count×d
        var kv = qkv.ForwardRows(x, c, 2 * c).reshape(b, n, 2, _heads, hd).permute(2, 0, 3, 1, 4).unbind(0);
        return Attend(q, kv[0], kv[1], b, count, c).MoveToOuterDisposeScope();
    }

    /// <summary>softmax(q·kᵀ/√head_dim)·v with the chosen kernel, heads merged back and projected: B×count×C.</summary>
    private Tensor Attend(Tensor q, Tensor k, Tensor v, long b, long count, long c)
    {
        var kernel = Kernel ?? AttentionKernels.Choose(q.dtype, is_grad_enabled() && q.requires_grad);
        var o = kernel == AttentionKernel.Fused
            ? nn.functional.scaled_dot_product_attention(q, k, v)
            : ExplicitAttention(q, k, v);
        return proj.call(o.transpose(1, 2).reshape(b, count, c));
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
