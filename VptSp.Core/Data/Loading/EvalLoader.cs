using VptSp.Core.Data.Images;

namespace VptSp.Core.Data.Loading;

/// <summary>
/// Evaluation batches: every sample once, in split order (the last batch may be smaller), with the
/// deterministic eval transform (no augmentation). Batch b holds samples [b·B, min((b+1)·B, N)).
/// </summary>
public sealed class EvalLoader
{
    private readonly BatchPipeline _pipeline;

    public EvalLoader(DatasetSplit split, IImageTransform transform, LoaderOptions options, DecodedImageCache? cache = null)
    {
        options.Validate();
        Split = split;
        Transform = transform;
        Options = options;
        Cache = cache ?? new DecodedImageCache(0);
        _pipeline = new BatchPipeline(split, transform, Cache, options);
    }

    public DatasetSplit Split { get; }
    public IImageTransform Transform { get; }
    public LoaderOptions Options { get; }
    public DecodedImageCache Cache { get; }
    public int BatchCount => (Split.Count + Options.BatchSize - 1) / Options.BatchSize;
    public int FailedImages => _pipeline.FailedImages;

    /// <summary>All samples in order, in batches of <see cref="LoaderOptions.BatchSize"/>.</summary>
    public IEnumerable<ImageBatch> Batches()
    {
        var batches = Enumerable.Range(0, BatchCount)
            .Select(b => Enumerable.Range(b * Options.BatchSize, Math.Min(Options.BatchSize, Split.Count - b * Options.BatchSize)).ToArray())
            .ToList();
        return _pipeline.Run(batches, epoch: 0);
    }
}
