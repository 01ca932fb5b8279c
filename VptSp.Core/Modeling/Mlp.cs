using static TorchSharp.torch;

namespace VptSp.Core.Modeling;

/// <summary>Transformer MLP: <c>fc1</c> → exact (erf) GELU → <c>fc2</c>.</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly Dense fc1;
    private readonly Dense fc2;
#pragma warning restore IDE1006

    public Mlp(string name, int dim, int hidden) : base(name)
    {
        fc1 = new Dense("fc1", dim, hidden);
        fc2 = new Dense("fc2", hidden, dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return fc2.call(nn.functional.gelu(fc1.call(x))).MoveToOuterDisposeScope();
    }
}
