using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VptSp.Core.Modeling;

/// <summary>LayerNorm over the last axis with <c>weight</c>/<c>bias</c> names: fp32 inside an <see cref="Autocast"/> region, else the activation dtype.</summary>
public sealed class Norm : CastableModule
{
#pragma warning disable IDE1006 // state-dict names
    private Parameter weight;
    private Parameter bias;
#pragma warning restore IDE1006
    private readonly long[] _shape;
    private readonly double _eps;

    /// <summary>timm's ViT LayerNorm eps.</summary>
    public const double DefaultEps = 1e-6;

    public Norm(string name, long dim, double eps = DefaultEps) : base(name)
    {
        _shape = new[] { dim };
        _eps = eps;
        weight = new Parameter(ones(dim));
        bias = new Parameter(zeros(dim));
        RegisterComponents();
    }

    public Parameter Weight => weight;
    public Parameter Bias => bias;

    public override Tensor forward(Tensor x)
    {
        var dt = Autocast.NormType(x);
        return nn.functional.layer_norm(Autocast.As(x, dt), _shape, Autocast.As(weight, dt), Autocast.As(bias, dt), _eps);
    }

    public override void CastFrozen(ScalarType dtype)
    {
        weight = CastIfFrozen("weight", weight, dtype);
        bias = CastIfFrozen("bias", bias, dtype);
    }
}
