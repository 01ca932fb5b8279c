namespace VptSp.Core.Evaluation;

/// <summary>Agreement between class labels and a clustering: NMI and pair-counting F1.</summary>
public static class ClusterMetrics
{
    /// <summary>
    /// Normalised mutual information with arithmetic-mean normalisation, MI / ((H(classes) + H(clusters)) / 2)
    /// (sklearn's default). Both partitions trivial (one group each) gives 1; MI = 0 gives 0.
    /// </summary>
    public static double Nmi(IReadOnlyList<int> labels, IReadOnlyList<int> clusters)
    {
        var (n, classCounts, clusterCounts, joint) = Count(labels, clusters);
        if (n == 0) return 1;
        if (classCounts.Count == 1 && clusterCounts.Count == 1) return 1;
        double mi = 0;
        foreach (var ((a, b), nij) in joint)
            mi += nij / (double)n * Math.Log(n * (double)nij / (classCounts[a] * (double)clusterCounts[b]));
        if (mi <= 0) return 0;
        var h = Entropy(classCounts.Values, n) + Entropy(clusterCounts.Values, n);
        return h <= 0 ? 0 : mi / (h / 2);
    }

    /// <summary>
    /// Pair-counting F1: over all unordered pairs, TP = same class and same cluster,
    /// F1 = 2·TP / (pairs in the same class + pairs in the same cluster). This is what the reference's
    /// metrics/f1.py computes (it swaps the names of FP and FN, which F1 does not notice); no pairs at all gives 0.
    /// </summary>
    public static double PairF1(IReadOnlyList<int> labels, IReadOnlyList<int> clusters)
    {
        var (_, classCounts, clusterCounts, joint) = Count(labels, clusters);
        double tp = joint.Values.Sum(Pairs);
        double sameClass = classCounts.Values.Sum(Pairs);
        double sameCluster = clusterCounts.Values.Sum(Pairs);
        return sameClass + sameCluster == 0 ? 0 : 2 * tp / (sameClass + sameCluster);
    }

    private static double Pairs(long m) => m * (m - 1) / 2.0;

    private static double Entropy(IEnumerable<long> counts, long n) =>
        -counts.Where(c => c > 0).Sum(c => c / (double)n * Math.Log(c / (double)n));

    private static (long N, Dictionary<int, long> Classes, Dictionary<int, long> Clusters, Dictionary<(int, int), long> Joint)
        Count(IReadOnlyList<int> labels, IReadOnlyList<int> clusters)
    {
        if (labels.Count != clusters.Count)
            throw new ArgumentException($"{labels.Count} labels but {clusters.Count} cluster ids");
        var classes = new Dictionary<int, long>();
        var groups = new Dictionary<int, long>();
        var joint = new Dictionary<(int, int), long>();
        for (var i = 0; i < labels.Count; i++)
        {
            classes[labels[i]] = classes.GetValueOrDefault(labels[i]) + 1;
            groups[clusters[i]] = groups.GetValueOrDefault(clusters[i]) + 1;
            joint[(labels[i], clusters[i])] = joint.GetValueOrDefault((labels[i], clusters[i])) + 1;
        }
        return (labels.Count, classes, groups, joint);
    }
}
