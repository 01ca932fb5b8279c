namespace VptSp.Core.Demo;

/// <summary>
/// Expected metrics of a random ranking, exactly: a query with P same-class items among the N − 1 others hits within
/// its top K with probability 1 − C(N−1−P, K)/C(N−1, K); MAP@R of a random ranking is P/(N−1) in expectation
/// (precision at every rank is P/(N−1)).
/// </summary>
public static class ChanceBaseline
{
    public static IReadOnlyDictionary<string, double> Metrics(IReadOnlyList<int> labels, IReadOnlyList<int> recallKs)
    {
        var n = labels.Count;
        var sizes = labels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        var result = new Dictionary<string, double>();
        foreach (var k in recallKs)
            result[$"recall@{k}"] = labels.Average(l => HitProbability(n - 1, sizes[l] - 1, k));
        var withPositives = labels.Where(l => sizes[l] > 1).ToList();
        result["map@r"] = withPositives.Count == 0 ? 0 : withPositives.Average(l => (sizes[l] - 1) / (double)(n - 1));
        return result;
    }

    /// <summary>Recall@K of a random ranking of a separate gallery (In-Shop): a query with P same-class items among G hits with
    /// probability 1 − C(G−P, K)/C(G, K).</summary>
    public static IReadOnlyDictionary<string, double> QueryGalleryRecall(IReadOnlyList<int> queryLabels, IReadOnlyList<int> galleryLabels,
        IReadOnlyList<int> recallKs)
    {
        var sizes = galleryLabels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        var result = new Dictionary<string, double>();
        foreach (var k in recallKs)
            result[$"recall@{k}"] = queryLabels.Count == 0 ? 0
                : queryLabels.Average(l => HitProbability(galleryLabels.Count, sizes.GetValueOrDefault(l), k));
        return result;
    }

    /// <summary>P(at least one of <paramref name="positives"/> among <paramref name="k"/> draws without replacement from <paramref name="others"/>).</summary>
    public static double HitProbability(int others, int positives, int k)
    {
        if (positives <= 0 || others <= 0) return 0;
        k = Math.Min(k, others);
        // C(others − positives, k) / C(others, k) = Π_{i<k} (others − positives − i) / (others − i)
        var miss = 1.0;
        for (var i = 0; i < k; i++)
        {
            var num = others - positives - i;
            if (num <= 0) return 1.0;
            miss *= num / (double)(others - i);
        }
        return 1 - miss;
    }
}
