using TorchSharp;
using VptSp.Core.Modeling;
using VptSp.Core.Modeling.Checkpoints;
using static TorchSharp.torch;

namespace VptSp.Core.Inference;

/// <summary>Anything that maps a normalised image batch (B×3×S×S) to L2-normalised embeddings (B×E).</summary>
public interface IImageEmbedder
{
    Preprocessing Preprocessing { get; }
    Device Device { get; }
    int Dimension { get; }
    Tensor Embed(Tensor images);
}

/// <summary>A trained run's model (eval path: backbone with its prompts, metric head, L2-normalised).</summary>
public sealed class MetricModelEmbedder(MetricModel model) : IImageEmbedder
{
    public MetricModel Model { get; } = model;
    public Preprocessing Preprocessing => Model.Preprocessing;
    public Device Device => Model.Device;
    public int Dimension => Model.Options.EmbedDim;
    public Tensor Embed(Tensor images) => Model.Embed(images);
}

/// <summary>A bare backbone: the class token after the final norm, L2-normalised (zero-shot features).</summary>
public sealed class BackboneEmbedder : IImageEmbedder, IDisposable
{
    private readonly VisionTransformer _vit;

    /// <param name="checkpoint">timm .safetensors/.pth; null keeps the random initialisation.</param>
    public BackboneEmbedder(string preset, string? checkpoint, Device? device = null)
    {
        var spec = Backbones.Hub.PretrainedCfg.ApplyBeside(VitPresets.Get(preset), checkpoint);
        _vit = new VisionTransformer(spec);
        if (checkpoint is not null) CheckpointImporter.Import(_vit, checkpoint);
        Device = device ?? CPU;
        if (Device.type != DeviceType.CPU) _vit.to(Device);
        _vit.eval();
        Preprocessing = new Preprocessing(spec.ImgSize, spec.Mean, spec.Std, spec.Interpolation, spec.CropPct);
        Dimension = spec.EmbedDim;
    }

    public Preprocessing Preprocessing { get; }
    public Device Device { get; }
    public int Dimension { get; }

    public Tensor Embed(Tensor images)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var cls = _vit.ForwardFeatures(images.to(_vit.ComputeType), usedTokensOnly: true).select(1, 0).to(ScalarType.Float32);
        return nn.functional.normalize(cls, dim: 1).MoveToOuterDisposeScope();
    }

    public void Dispose() => _vit.Dispose();
}
