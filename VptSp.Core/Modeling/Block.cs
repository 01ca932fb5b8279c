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
        x = x.Plus(attn.call(norm1.call(x)));
        var m = mlp.call(norm2.call(x));
        if (adapter is null) return x.Plus(m).MoveToOuterDisposeScope();
        var a = adapter.call(_parallel ? x : m);
        // sequential: the adapter refines the MLP output with its own residual; parallel: a side branch on the block input
        var y = _parallel ? x.Plus(m).Plus(a) : x.Plus(m.Plus(a));
        return y.MoveToOuterDisposeScope();
    }
}
