using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Core.Modeling;

/// <summary>
/// Pre-norm transformer block: x + ls1(attn(norm1(x))), then x + ls2(mlp(norm2(x))) (LayerScale only when the spec has it);
/// optionally with an AdaptFormer adapter.
/// </summary>
public sealed class Block : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly Norm norm1;
    private readonly Attention attn;
    private readonly Norm norm2;
    private readonly Mlp mlp;
    private readonly LayerScale? ls1;
    private readonly LayerScale? ls2;
    private readonly AdapterLayer? adapter;
#pragma warning restore IDE1006
    private readonly bool _parallel;

    /// <summary>A plain timm block (LayerNorm eps 1e-6, exact GELU, no LayerScale).</summary>
    public Block(string name, int dim, int numHeads, int mlpHidden, AdapterOptions? adapterOptions = null)
        : this(name, dim, numHeads, mlpHidden, 1e-6, null, MlpActivation.Gelu, adapterOptions)
    {
    }

    /// <summary>A block of <paramref name="spec"/>'s width, heads, MLP, norm eps, LayerScale and activation.</summary>
    public Block(string name, VitSpec spec, AdapterOptions? adapterOptions = null)
        : this(name, spec.EmbedDim, spec.NumHeads, spec.MlpHidden, spec.NormEps, spec.LayerScaleInit, spec.Activation, adapterOptions)
    {
    }

    private Block(string name, int dim, int numHeads, int mlpHidden, double eps, double? layerScale, MlpActivation activation,
        AdapterOptions? adapterOptions) : base(name)
    {
        // the reference's AdaptBlock replaces an adapted block's attention: 12 heads, no qkv bias, torch's LayerNorm eps
        var reference = adapterOptions?.Attention == AdapterAttention.Reference;
        if (reference) eps = AdapterOptions.ReferenceEps;
        norm1 = new Norm("norm1", dim, eps);
        attn = reference ? new Attention("attn", dim, AdapterOptions.ReferenceHeads, qkvBias: false) : new Attention("attn", dim, numHeads);
        if (layerScale is { } init)
        {
            ls1 = new LayerScale("ls1", dim, init);
            ls2 = new LayerScale("ls2", dim, init);
        }
        norm2 = new Norm("norm2", dim, eps);
        mlp = new Mlp("mlp", dim, mlpHidden, activation);
        if (adapterOptions is not null)
        {
            adapter = new AdapterLayer("adapter", dim, adapterOptions);
            _parallel = adapterOptions.Option == AdapterPlacement.Parallel;
        }
        RegisterComponents();
    }

    public bool HasAdapter => adapter is not null;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return AfterAttention(x.Plus(Scaled(ls1, attn.call(norm1.call(x))))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) of <c>forward(x)</c> (B×count×D),
    /// computing only those tokens' paths: the other tokens enter only as attention keys and values
    /// (<see cref="Attention.ForwardQueries"/>), and every op after attention is per token.
    /// </summary>
    public Tensor ForwardTokens(Tensor x, long start, long count)
    {
        if (start == 0 && count == x.shape[1]) return call(x);
        using var scope = NewDisposeScope();
        var h = x.narrow(1, start, count).Plus(Scaled(ls1, attn.ForwardQueries(norm1.call(x), start, count)));
        return AfterAttention(h).MoveToOuterDisposeScope();
    }

    /// <summary>The per-token rest of the block on the post-attention stream <paramref name="x"/>: MLP residual (and adapter).</summary>
    private Tensor AfterAttention(Tensor x)
    {
        var m = Scaled(ls2, mlp.call(norm2.call(x)));
        if (adapter is null) return x.Plus(m);
        var a = adapter.call(_parallel ? x : m);
        // sequential: the adapter refines the MLP output with its own residual; parallel: a side branch on the block input
        return _parallel ? x.Plus(m).Plus(a) : x.Plus(m.Plus(a));
    }

    private static Tensor Scaled(LayerScale? ls, Tensor branch) => ls is null ? branch : ls.call(branch);
}
