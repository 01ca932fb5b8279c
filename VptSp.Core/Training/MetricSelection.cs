using System.Globalization;
using VptSp.Core.Evaluation;

namespace VptSp.Core.Training;

/// <summary>Turns the reference's <c>evaluation_metrics</c> names (<c>e_recall@K</c>, <c>mAP_R</c>, <c>nmi</c>, <c>f1</c>) into metric-suite options and our metric keys.</summary>
public static class MetricSelection
{
    public static MetricSuiteOptions Options(TrainingConfig c)
    {
        var ks = new SortedSet<int>();
        var clustering = false;
        foreach (var name in c.EvaluationMetrics)
        {
            var n = name.Trim().ToLowerInvariant();
            if (n.StartsWith("e_recall@", StringComparison.Ordinal) || n.StartsWith("recall@", StringComparison.Ordinal))
            {
                var k = n[(n.IndexOf('@') + 1)..];
                if (!int.TryParse(k, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kk) || kk < 1)
                    throw new ConfigException("evaluation_metrics", $"'{name}' has no valid K");
                ks.Add(kk);
            }
            else if (n is "nmi" or "f1") clustering = true;
            else if (n is "map_r" or "map@r" or "map_r_ref" or "map_1000" or "c_map_1000") { }
            else throw new ConfigException("evaluation_metrics", $"unknown metric '{name}' (use e_recall@K, mAP_R, nmi, f1)");
        }
        ks.Add(1); // recall@1 always picks the best epoch
        return new MetricSuiteOptions { RecallKs = ks.ToList(), Clustering = clustering, KMeansSeed = c.Seed };
    }

    /// <summary>Our metric key for a reference storage-metric name (e_recall@1 → recall@1, mAP_R → map@r).</summary>
    public static string StorageKey(TrainingConfig c)
    {
        var n = c.StorageMetrics[0].Trim().ToLowerInvariant();
        if (n.StartsWith("e_recall@", StringComparison.Ordinal)) return "recall@" + n["e_recall@".Length..];
        return n switch { "map_r" => "map@r", _ => n };
    }
}
