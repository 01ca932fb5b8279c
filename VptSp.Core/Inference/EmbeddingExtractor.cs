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
        var parts = new List<Tensor>();
        try
        {
            foreach (var batch in loader.Batches())
            {
                using (batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var images = batch.Images.to(model.Device);
                    using var e = model.Embed(images);
                    parts.Add(e.to(ScalarType.Float32).cpu());
                }
            }
            return parts.Count == 0 ? zeros(0, model.Dimension) : cat(parts, 0);
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }
}
