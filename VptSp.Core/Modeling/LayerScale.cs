using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VptSp.Core.Modeling;

/// <summary>Per-channel scaling of a residual branch (timm <c>LayerScale</c>, DINOv2's <c>ls1</c>/<c>ls2</c>): x·<c>gamma</c>.</summary>
public sealed class LayerScale : CastableModule
{
#pragma warning disable IDE1006 // state-dict names
    private Parameter gamma;
#pragma warning restore IDE1006

    public LayerScale(string name, long dim, double initValue) : base(name)
    {
        using var value = initValue.ToScalar();
        gamma = new Parameter(full(dim, value));
        RegisterComponents();
    }

    // a half-precision branch meets an fp32 gamma and promotes, as torch.autocast leaves a mul
    public override Tensor forward(Tensor x) => x.mul(gamma);

    public override void CastFrozen(ScalarType dtype) => gamma = CastIfFrozen("gamma", gamma, dtype);
}
