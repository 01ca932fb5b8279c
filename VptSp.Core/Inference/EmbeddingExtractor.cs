using VptSp.Core.Data;
using VptSp.Core.Data.Images;
using VptSp.Core.Data.Loading;
using VptSp.Core.Modeling;
using static TorchSharp.torch;

namespace VptSp.Core.Inference;

/// <summary>Embeds whole splits with a model's eval path: the backbone's eval transform and normalisation, no gradients.</summary>
public static class EmbeddingExtractor
{
    /// <summary>The eval transform of a backbone: resize (short side = size / crop_pct, the 256/224 rule) then centre crop.</summary>
    public static EvalTransform EvalTransformFor(Preprocessing p) =>
        new(p.ImgSize, new Normalization(p.Mean, p.Std), EvalTransform.DefaultResizeSize(p.ImgSize));

    public static TrainTransform TrainTransformFor(Preprocessing p) => new(p.ImgSize, new Normalization(p.Mean, p.Std));

    /// <summary>L2-normalised N×E float32 embeddings (CPU) of every sample of <paramref name="split"/>, in split order.</summary>
    public static Tensor Embed(MetricModel model, DatasetSplit split, int batchSize, int workers,
        DecodedImageCache? cache = null, CancellationToken cancellationToken = default) =>
        Embed(new MetricModelEmbedder(model), split, batchSize, workers, cache, cancellationToken);

    /// <summary>L2-normalised N×E float32 embeddings (CPU) of every sample of <paramref name="split"/>, in split order.</summary>
    public static Tensor Embed(IImageEmbedder model, DatasetSplit split, int batchSize, int workers,
        DecodedImageCache? cache = null, CancellationToken cancellationToken = default)
    {
        var loader = new EvalLoader(split, EvalTransformFor(model.Preprocessing),
            new LoaderOptions { BatchSize = batchSize, Workers = Math.Max(1, workers) }, cache);
        return EmbedBatches(model, ImagesOf(loader), cancellationToken);
    }

    /// <summary>
    /// The one batched embedding loop (dataset splits and image files both use it): each CPU batch goes to the model's
    /// device and its embeddings come back as float32 on the CPU, concatenated in order (N×E; 0×E for no batches).
    /// Every intermediate lives in a per-batch dispose scope. The enumerator owns the batches it yields.
    /// </summary>
    internal static Tensor EmbedBatches(IImageEmbedder model, IEnumerable<Tensor> batches, CancellationToken cancellationToken)
    {
        var parts = new List<Tensor>();
        try
        {
            foreach (var images in batches)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var e = model.Embed(images.to(model.Device));
                parts.Add(e.to(ScalarType.Float32).cpu().DetachFromDisposeScope());
            }
            return parts.Count == 0 ? zeros(0, model.Dimension) : cat(parts, 0);
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }

    private static IEnumerable<Tensor> ImagesOf(EvalLoader loader)
    {
        foreach (var batch in loader.Batches())
            using (batch)
                yield return batch.Images;
    }
}
