using VptSp.Core.Data;
using VptSp.Core.Data.Loading;
using VptSp.Core.Evaluation;
using VptSp.Core.Inference;
using VptSp.Core.Modeling;

namespace VptSp.Core.Training;

/// <summary>
/// The reference's training-set metrics (when <c>no_train_metrics</c> is false, as in its iNaturalist config): the
/// training images, under the eval transform, searched against themselves; it reports their recall@1 and its own
/// MAP@R variant as train_recall@1 and train_mAP_R, here train_recall@1 and train_map@r_ref.
/// </summary>
public static class TrainSplitMetrics
{
    public const string Recall1 = "train_recall@1";
    public const string MapRRef = "train_map@r_ref";

    /// <summary>Whether a run adds them: asked for, and not an In-Shop query/gallery run (the reference skips them there).</summary>
    public static bool Wanted(TrainingConfig c, bool queryGallery) => !c.NoTrainMetrics && !queryGallery;

    public static IReadOnlyDictionary<string, double> Evaluate(IImageEmbedder model, DatasetSplit train, TrainingConfig c, DecodedImageCache? cache)
    {
        using var embeddings = EmbeddingExtractor.Embed(model, train, c.EvalBatchSize, Math.Max(1, c.Kernels), cache);
        var m = MetricSuite.Evaluate(embeddings, train.Labels(), new MetricSuiteOptions { RecallKs = [1], Clustering = false });
        return new Dictionary<string, double> { [Recall1] = m["recall@1"], [MapRRef] = m["map@r_ref"] };
    }

    /// <summary><paramref name="test"/> followed by <paramref name="train"/>, in that order.</summary>
    public static IReadOnlyDictionary<string, double> Append(IReadOnlyDictionary<string, double> test, IReadOnlyDictionary<string, double> train)
    {
        var all = new OrderedDictionary<string, double>();
        foreach (var (k, v) in test) all[k] = v;
        foreach (var (k, v) in train) all[k] = v;
        return all;
    }
}
