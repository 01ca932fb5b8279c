using VptSp.Core.Data.Images;

namespace VptSp.Core.Data.Loading;

/// <summary>
/// Training batches for one split: the random_class sampler (B/k classes × k images, grouped by class,
/// N/B batches per epoch, seed + epoch) with the train transform, decoded in parallel ahead of the
/// consumer. Deterministic for a given seed and epoch.
/// <code>
/// var loader = new TrainLoader(info.Train, new TrainTransform(224, norm), options, cache);
/// foreach (var batch in loader.Epoch(epoch)) using (batch) { step(batch.Images, batch.Labels); }
/// </code>
/// </summary>
public sealed class TrainLoader
{
    private readonly BatchPipeline _pipeline;

    /// <param name="cache">Shared decoded-image cache; null: no caching. A random-crop transform gets every image at its original resolution.</param>
    public TrainLoader(DatasetSplit split, IImageTransform transform, LoaderOptions options, DecodedImageCache? cache = null)
    {
        options.Validate();
        Split = split;
        Transform = transform;
        Options = options;
        Cache = cache ?? new DecodedImageCache(0);
        Sampler = new RandomClassSampler(split.Labels(), options.BatchSize, options.SamplesPerClass, options.Seed);
        _pipeline = new BatchPipeline(split, transform, Cache, options);
    }

    public DatasetSplit Split { get; }
    public IImageTransform Transform { get; }
    public LoaderOptions Options { get; }
    public DecodedImageCache Cache { get; }
    public RandomClassSampler Sampler { get; }
    public int BatchesPerEpoch => Sampler.BatchesPerEpoch;

    /// <summary>Images that failed to decode so far (each replaced by a blank image).</summary>
    public int FailedImages => _pipeline.FailedImages;

    /// <summary>The epoch's batches, produced ahead in the background; dispose each batch after use.</summary>
    public IEnumerable<ImageBatch> Epoch(int epoch) => _pipeline.Run(Sampler.Epoch(epoch), epoch);
}
