using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Core.Modeling;

/// <summary>Pre-norm transformer block: x + attn(norm1(x)), then x + mlp(norm2(x)); optionally with an AdaptFormer adapter.</summary>
public sealed class Block : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly Norm norm1;
    private readonly Attention attn;
    private readonly Norm norm2;
    private readonly Mlp mlp;
    private readonly AdapterLayer? adapter;
#pragma warning restore IDE1006
    private readonly bool _parallel;

    public Block(string name, int dim, int numHeads, int mlpHidden, AdapterOptions? adapterOptions = null) : base(name)
    {
        norm1 = new Norm("norm1", dim);
        attn = new Attention("attn", dim, numHeads);
        norm2 = new Norm("norm2", dim);
        mlp = new Mlp("mlp", dim, mlpHidden);
        if (adapterOptions is not null)
        {
            adapter = new AdapterLayer("adapter", dim, adapterOptions);
            _parallel = adapterOptions.Option == "parallel";
        }
        RegisterComponents();
    }

    public bool HasAdapter => adapter is not null;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return AfterAttention(x.Plus(attn.call(norm1.call(x)))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>forward(x)[:, index]</c> as B×1×D, computing only that token's path: after attention every op is per token, and the
    /// attention itself needs only that token's query (<see cref="Attention.ForwardQuery"/>).
    /// </summary>
    public Tensor ForwardToken(Tensor x, long index)
    {
        using var scope = NewDisposeScope();
        var h = x.narrow(1, index, 1).Plus(attn.ForwardQuery(norm1.call(x), index));
        return AfterAttention(h).MoveToOuterDisposeScope();
    }

    /// <summary>The per-token rest of the block on the post-attention stream <paramref name="x"/>: MLP residual (and adapter).</summary>
    private Tensor AfterAttention(Tensor x)
    {
        var m = mlp.call(norm2.call(x));
        if (adapter is null) return x.Plus(m);
        var a = adapter.call(_parallel ? x : m);
        // sequential: the adapter refines the MLP output with its own residual; parallel: a side branch on the block input
        return _parallel ? x.Plus(m).Plus(a) : x.Plus(m.Plus(a));
    }
}
