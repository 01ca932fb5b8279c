using System.Globalization;
using VptSp.Core.Evaluation;

namespace VptSp.Core.Training;

/// <summary>
/// Turns the reference's <c>evaluation_metrics</c> names (<c>e_recall@K</c>, <c>mAP_R</c>, <c>mAP_1000</c>,
/// <c>c_mAP_1000</c>, <c>nmi</c>, <c>f1</c>) into metric-suite options, and its <c>storage_metrics</c> name into
/// the metric key that picks the best epoch. Names the reference does not know, or VptSp does not compute,
/// are errors naming the key.
/// </summary>
public static class MetricSelection
{
    public static MetricSuiteOptions Options(TrainingConfig c)
    {
        var ks = new SortedSet<int>();
        bool clustering = false, map1000 = false, cMap1000 = false;
        foreach (var name in c.EvaluationMetrics)
        {
            var n = name.Trim().ToLowerInvariant();
            if (n.StartsWith("e_recall@", StringComparison.Ordinal) || n.StartsWith("recall@", StringComparison.Ordinal))
                ks.Add(ParseK("evaluation_metrics", name, n));
            else if (n is "nmi" or "f1") clustering = true;
            else if (n is "map_r" or "map@r" or "map_r_ref") { } // both MAP@R variants are always computed
            else if (n == "map_1000") map1000 = true;
            else if (n == "c_map_1000") cMap1000 = true;
            else throw new ConfigException("evaluation_metrics",
                $"unknown metric '{name}' (use e_recall@K, mAP_R, mAP_1000, c_mAP_1000, nmi, f1)");
        }
        ks.Add(1); // recall@1 is always reported
        return new MetricSuiteOptions
        {
            RecallKs = ks.ToList(),
            Clustering = clustering,
            MapAt1000 = map1000,
            CosineMapAt1000 = cMap1000,
        };
    }

    /// <summary>True when the run evaluates In-Shop queries against its gallery (the reference's query/gallery protocol).</summary>
    public static bool IsQueryGallery(TrainingConfig c) => c.Dataset == "inshop" && c.TestSplit == "test";

    /// <summary>
    /// Our metric key for the first storage metric: e_recall@K → recall@K; mAP_R → map@r_ref (the reference's
    /// variant, which its tables report), or for In-Shop map@50_ref (the reference's In-Shop MAP); mAP_1000 →
    /// map@1000, c_mAP_1000 → c_map@1000; nmi, f1 as they are. The metric must be one the run computes.
    /// </summary>
    public static string StorageKey(TrainingConfig c) => StorageKey(c, IsQueryGallery(c));

    /// <summary><see cref="StorageKey(TrainingConfig)"/> for a run whose evaluation is (or is not) query against gallery.</summary>
    public static string StorageKey(TrainingConfig c, bool queryGallery)
    {
        var name = c.StorageMetrics[0];
        var n = name.Trim().ToLowerInvariant();
        if (queryGallery)
        {
            var qg = MetricSuiteOptions.QueryGalleryKs;
            if (n.StartsWith("e_recall@", StringComparison.Ordinal) || n.StartsWith("recall@", StringComparison.Ordinal))
            {
                var k = ParseK("storage_metrics", name, n);
                return qg.Contains(k)
                    ? $"recall@{k}"
                    : throw new ConfigException("storage_metrics", $"'{name}': In-Shop reports recall@K only for K = {string.Join(", ", qg)}");
            }
            if (n is "map_r" or "map") return $"map@{qg.Max()}_ref";
            throw new ConfigException("storage_metrics", $"'{name}' is not reported for In-Shop query/gallery evaluation (use e_recall@K or mAP_R)");
        }

        var options = Options(c);
        if (n.StartsWith("e_recall@", StringComparison.Ordinal) || n.StartsWith("recall@", StringComparison.Ordinal))
        {
            var k = ParseK("storage_metrics", name, n);
            return options.RecallKs.Contains(k)
                ? $"recall@{k}"
                : throw new ConfigException("storage_metrics", $"'{name}' is not among evaluation_metrics");
        }
        return n switch
        {
            "map_r" or "map@r_ref" => "map@r_ref",
            "map@r" => "map@r",
            "map_1000" when options.MapAt1000 => "map@1000",
            "c_map_1000" when options.CosineMapAt1000 => "c_map@1000",
            "nmi" or "f1" when options.Clustering => n,
            "map_1000" or "c_map_1000" or "nmi" or "f1" => throw new ConfigException("storage_metrics", $"'{name}' is not among evaluation_metrics"),
            _ => throw new ConfigException("storage_metrics", $"unknown metric '{name}' (use e_recall@K, mAP_R, mAP_1000, c_mAP_1000, nmi, f1)"),
        };
    }

    private static int ParseK(string key, string name, string lower)
    {
        var k = lower[(lower.IndexOf('@') + 1)..];
        if (!int.TryParse(k, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kk) || kk < 1)
            throw new ConfigException(key, $"'{name}' has no valid K");
        return kk;
    }
}
