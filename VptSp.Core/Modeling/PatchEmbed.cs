using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VptSp.Core.Modeling;

/// <summary>Non-overlapping patch projection (timm <c>patch_embed.proj</c>): B×3×H×W → B×(H/p·W/p)×D.</summary>
public sealed class PatchEmbed : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly PatchProjection proj;
#pragma warning restore IDE1006

    public PatchEmbed(string name, int patchSize, int embedDim, int inChannels = 3, bool bias = true) : base(name)
    {
        proj = new PatchProjection("proj", patchSize, embedDim, inChannels, bias);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = proj.call(x);                     // B×D×h×w
        return y.flatten(2).transpose(1, 2).MoveToOuterDisposeScope();
    }
}

/// <summary>The strided convolution of <see cref="PatchEmbed"/> (kernel = stride = patch size; without bias for CLIP towers).</summary>
public sealed class PatchProjection : CastableModule
{
#pragma warning disable IDE1006 // state-dict names
    private Parameter weight;
    private Parameter? bias;
#pragma warning restore IDE1006
    private readonly long _patch;

    public PatchProjection(string name, int patchSize, int embedDim, int inChannels, bool hasBias = true) : base(name)
    {
        _patch = patchSize;
        weight = new Parameter(empty(embedDim, inChannels, patchSize, patchSize));
        bias = hasBias ? new Parameter(zeros(embedDim)) : null;
        RegisterComponents();
        Init.DefaultWeight(weight);
        var bound = 1.0 / Math.Sqrt((double)inChannels * patchSize * patchSize);
        if (bias is not null) Init.Uniform(bias, -bound, bound);
    }

    public override Tensor forward(Tensor x)
    {
        // inside an autocast region the convolution runs in the half type; outside, in the stored weight's type
        var dt = Autocast.HalfType ?? weight.dtype;
        var input = Autocast.As(x, dt);
        var w = Autocast.As(weight, dt);
        var b = bias is null ? null : Autocast.As(bias, dt);
        var y = nn.functional.conv2d(input, w, b, strides: new[] { _patch, _patch });
        if (!ReferenceEquals(input, x)) input.Dispose();
        if (!ReferenceEquals(w, weight)) w.Dispose();
        if (b is not null && !ReferenceEquals(b, bias)) b.Dispose();
        return y;
    }

    public override void CastFrozen(ScalarType dtype)
    {
        weight = CastIfFrozen("weight", weight, dtype);
        if (bias is not null) bias = CastIfFrozen("bias", bias, dtype);
    }
}
