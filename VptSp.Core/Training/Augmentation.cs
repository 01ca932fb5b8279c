using VptSp.Core.Data.Images;
using VptSp.Core.Inference;
using VptSp.Core.Modeling;
using VptSp.Core.Runtime;

namespace VptSp.Core.Training;

/// <summary>The train-time image transform the <c>augmentation</c> key selects.</summary>
public static class Augmentation
{
    /// <summary>base: RandomResizedCrop + flip (from the original image); none: the deterministic eval transform.</summary>
    public static IImageTransform TrainTransform(TrainingConfig c, Preprocessing p) => c.Augmentation switch
    {
        AugmentationKind.Base => EmbeddingExtractor.TrainTransformFor(p),
        AugmentationKind.None => EmbeddingExtractor.EvalTransformFor(p),
        _ => throw new ConfigException("augmentation", $"'{c.Augmentation.Name()}' is not one of: base, none"),
    };
}
