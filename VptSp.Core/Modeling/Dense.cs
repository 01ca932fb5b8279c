using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VptSp.Core.Modeling;

/// <summary>Linear layer with timm/PyTorch parameter names (<c>weight</c> out×in, <c>bias</c> out): computes in <see cref="Autocast"/>'s half type inside a region, else in the activation dtype.</summary>
public sealed class Dense : CastableModule
{
#pragma warning disable IDE1006 // state-dict names
    private Parameter weight;
    private Parameter? bias;
#pragma warning restore IDE1006

    public Dense(string name, long inFeatures, long outFeatures, bool hasBias = true) : base(name)
    {
        weight = new Parameter(empty(outFeatures, inFeatures));
        bias = hasBias ? new Parameter(empty(outFeatures)) : null;
        RegisterComponents();
        // PyTorch's nn.Linear default initialisation
        Init.DefaultWeight(weight);
        if (bias is not null)
        {
            var bound = 1.0 / Math.Sqrt(inFeatures);
            Init.Uniform(bias, -bound, bound);
        }
    }

    public Parameter Weight => weight;
    public Parameter? Bias => bias;

    public override Tensor forward(Tensor x)
    {
        var dt = Autocast.MatmulType(x);
        return nn.functional.linear(Autocast.As(x, dt), Autocast.As(weight, dt), bias is null ? null : Autocast.As(bias, dt));
    }

    /// <summary>
    /// Output features [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) only: the product with that slice of
    /// the weight rows (a view, no copy), e.g. the key and value parts of a fused qkv layer. Same casting as <see cref="forward"/>.
    /// </summary>
    public Tensor ForwardRows(Tensor x, long start, long count)
    {
        using var scope = NewDisposeScope();
        var dt = Autocast.MatmulType(x);
        var w = Autocast.As(weight.narrow(0, start, count), dt);
        var b = bias is null ? null : Autocast.As(bias.narrow(0, start, count), dt);
        return nn.functional.linear(Autocast.As(x, dt), w, b).MoveToOuterDisposeScope();
    }

    public override void CastFrozen(ScalarType dtype)
    {
        weight = CastIfFrozen("weight", weight, dtype);
        if (bias is not null) bias = CastIfFrozen("bias", bias, dtype);
    }
}
