using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Core.Modeling;

/// <summary>Transformer MLP: <c>fc1</c> → activation (exact erf GELU, or CLIP's QuickGELU) → <c>fc2</c>.</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly Dense fc1;
    private readonly Dense fc2;
#pragma warning restore IDE1006
    private readonly MlpActivation _activation;

    public Mlp(string name, int dim, int hidden, MlpActivation activation = MlpActivation.Gelu) : base(name)
    {
        _activation = activation;
        fc1 = new Dense("fc1", dim, hidden);
        fc2 = new Dense("fc2", hidden, dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return fc2.call(Activate(fc1.call(x), _activation)).MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="activation"/> applied to <paramref name="x"/> (QuickGELU: x·σ(1.702·x), timm's quick_gelu).</summary>
    public static Tensor Activate(Tensor x, MlpActivation activation) => activation switch
    {
        MlpActivation.QuickGelu => x.mul(sigmoid(x.Times(1.702))),
        _ => nn.functional.gelu(x),
    };
}
