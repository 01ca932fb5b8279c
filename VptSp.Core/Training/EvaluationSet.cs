using VptSp.Core.Data;
using VptSp.Core.Data.Loading;
using VptSp.Core.Evaluation;
using VptSp.Core.Inference;
using VptSp.Core.Modeling;

namespace VptSp.Core.Training;

/// <summary>Evaluates any embedder on a dataset exactly as a run with <paramref name="config"/> would.</summary>
public static class RunEvaluation
{
    public static IReadOnlyDictionary<string, double> Evaluate(IImageEmbedder embedder, DatasetInfo data, TrainingConfig config) =>
        EvaluationSet.For(data, config).Evaluate(embedder, config, MetricSelection.Options(config), null);
}

/// <summary>What a run is evaluated on: one split searched against itself, or (In-Shop) queries against a gallery.</summary>
public sealed class EvaluationSet
{
    private EvaluationSet(DatasetSplit primary, DatasetSplit? gallery)
    {
        Primary = primary;
        Gallery = gallery;
    }

    public DatasetSplit Primary { get; }
    public DatasetSplit? Gallery { get; }
    public int ImageCount => Primary.Count + (Gallery?.Count ?? 0);

    /// <summary><see cref="DatasetInfo.Evaluation"/> for the default test split (In-Shop: query vs gallery), else the named split against itself.</summary>
    public static EvaluationSet For(DatasetInfo data, TrainingConfig c)
    {
        if (c.TestSplit != SplitNames.Test) return new EvaluationSet(data.Split(c.TestSplit), null);
        var (query, gallery) = data.Evaluation;
        return new EvaluationSet(query, ReferenceEquals(query, gallery) ? null : gallery);
    }

    public IReadOnlyDictionary<string, double> Evaluate(MetricModel model, TrainingConfig c, MetricSuiteOptions options, DecodedImageCache? cache) =>
        Evaluate(new MetricModelEmbedder(model), c, options, cache);

    public IReadOnlyDictionary<string, double> Evaluate(IImageEmbedder model, TrainingConfig c, MetricSuiteOptions options, DecodedImageCache? cache)
    {
        var workers = Math.Max(1, c.Kernels);
        using var primary = EmbeddingExtractor.Embed(model, Primary, c.EvalBatchSize, workers, cache);
        if (Gallery is null)
            return MetricSuite.Evaluate(primary, Primary.Labels(), options);
        using var gallery = EmbeddingExtractor.Embed(model, Gallery, c.EvalBatchSize, workers, cache);
        return MetricSuite.EvaluateQueryGallery(primary, Primary.Labels(), gallery, Gallery.Labels());
    }
}
