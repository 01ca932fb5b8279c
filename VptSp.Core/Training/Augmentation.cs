using VptSp.Core.Data.Images;
using VptSp.Core.Inference;
using VptSp.Core.Modeling;

namespace VptSp.Core.Training;

/// <summary>The train-time image transform the <c>augmentation</c> key selects.</summary>
public static class Augmentation
{
    /// <summary>base: RandomResizedCrop + flip (from the original image); none: the deterministic eval transform.</summary>
    public static IImageTransform TrainTransform(TrainingConfig c, Preprocessing p) => c.Augmentation switch
    {
        "base" => EmbeddingExtractor.TrainTransformFor(p),
        "none" => EmbeddingExtractor.EvalTransformFor(p),
        _ => throw new ConfigException("augmentation", $"'{c.Augmentation}' is not one of: base, none"),
    };
}
