namespace VptSp.Core.Evaluation;

/// <summary>
/// Per-query retrieval scores from a query's ranked neighbour labels (the query itself already
/// excluded). Each function returns one query's contribution; the metric is the mean over queries.
/// </summary>
public static class RetrievalMetrics
{
    /// <summary>1 when one of the first <paramref name="k"/> neighbours has the query's label, else 0.</summary>
    public static double HitAtK(int queryLabel, ReadOnlySpan<int> rankedLabels, int k)
    {
        var n = Math.Min(k, rankedLabels.Length);
        for (var i = 0; i < n; i++)
            if (rankedLabels[i] == queryLabel) return 1;
        return 0;
    }

    /// <summary>
    /// Precision sum Σ_{i≤r} P(i)·rel(i) over the first <paramref name="r"/> ranks (fewer if fewer
    /// neighbours exist). Both MAP@R variants divide it by their own R.
    /// </summary>
    public static double PrecisionSum(int queryLabel, ReadOnlySpan<int> rankedLabels, int r)
    {
        var n = Math.Min(r, rankedLabels.Length);
        var hits = 0;
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            if (rankedLabels[i] != queryLabel) continue;
            hits++;
            sum += hits / (double)(i + 1);
        }
        return sum;
    }

    /// <summary>MAP@R (Musgrave et al. 2020) for one query: R = other samples of its class; null when R = 0 (left out).</summary>
    public static double? RPrecisionMap(int queryLabel, ReadOnlySpan<int> rankedLabels, int classSize)
    {
        var r = classSize - 1;
        return r <= 0 ? null : PrecisionSum(queryLabel, rankedLabels, r) / r;
    }

    /// <summary>
    /// The reference repository's MAP@R (metrics/map_r.py): R' = class size including the query, the
    /// first R' neighbours are scored and the sum divided by R'; singletons score 0 and still count.
    /// </summary>
    public static double ReferenceMap(int queryLabel, ReadOnlySpan<int> rankedLabels, int classSize) =>
        PrecisionSum(queryLabel, rankedLabels, classSize) / classSize;

    /// <summary>
    /// The reference's <c>mAP_1000</c> (metrics/mAP_1000.py) for one query: the precision sum over the first
    /// <paramref name="depth"/> neighbours divided by the class size including the query (so a class larger than
    /// the depth can never reach 1). With fewer neighbours than the depth, those there are are scored.
    /// </summary>
    public static double ReferenceMapAt(int queryLabel, ReadOnlySpan<int> rankedLabels, int classSize, int depth) =>
        PrecisionSum(queryLabel, rankedLabels, depth) / classSize;

    /// <summary>
    /// The reference's In-Shop MAP (metrics/query_gallery_metrics.py) for one query, given its top-ranked gallery
    /// labels only (the reference ranks the top 50): the mean of P(i) over the hits found in that list, 0 without a hit.
    /// Unlike standard AP it divides by the hits found, not by all relevant gallery items.
    /// </summary>
    public static double TopRankedAveragePrecision(int queryLabel, ReadOnlySpan<int> topRankedLabels)
    {
        var hits = 0;
        var sum = 0.0;
        for (var i = 0; i < topRankedLabels.Length; i++)
        {
            if (topRankedLabels[i] != queryLabel) continue;
            hits++;
            sum += hits / (double)(i + 1);
        }
        return hits == 0 ? 0 : sum / hits;
    }

    /// <summary>
    /// Average precision over a whole ranking given the 1-based ranks of every relevant item:
    /// (1/|rel|)·Σ_j j / rank_j. A query with no relevant item scores 0.
    /// </summary>
    public static double AveragePrecision(IReadOnlyList<int> sortedRelevantRanks)
    {
        if (sortedRelevantRanks.Count == 0) return 0;
        var sum = 0.0;
        for (var j = 0; j < sortedRelevantRanks.Count; j++) sum += (j + 1) / (double)sortedRelevantRanks[j];
        return sum / sortedRelevantRanks.Count;
    }
}
