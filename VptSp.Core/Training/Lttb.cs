namespace VptSp.Core.Training;

/// <summary>
/// Largest-Triangle-Three-Buckets downsampling of a curve (Steinarsson 2013): keeps the first and last points and, from each
/// of the buckets between, the point spanning the largest triangle with the point kept before it and the next bucket's mean,
/// so peaks and troughs of a long loss curve survive at a chart's pixel width.
/// </summary>
public static class Lttb
{
    /// <summary>Indices (ascending) of at most <paramref name="threshold"/> points of the series x (ascending), y; every index when the series is no longer.</summary>
    public static IReadOnlyList<int> Select(IReadOnlyList<double> x, IReadOnlyList<double> y, int threshold)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(y.Count, x.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 3);
        var n = x.Count;
        if (n <= threshold) return Enumerable.Range(0, n).ToList();
        var kept = new List<int>(threshold) { 0 };
        var every = (double)(n - 2) / (threshold - 2);
        var a = 0;
        for (var i = 0; i < threshold - 2; i++)
        {
            var nextStart = (int)Math.Floor((i + 1) * every) + 1;
            var nextEnd = Math.Min((int)Math.Floor((i + 2) * every) + 1, n);
            double meanX = 0, meanY = 0;
            for (var j = nextStart; j < nextEnd; j++)
            {
                meanX += x[j];
                meanY += y[j];
            }
            meanX /= nextEnd - nextStart;
            meanY /= nextEnd - nextStart;
            var from = (int)Math.Floor(i * every) + 1;
            var to = (int)Math.Floor((i + 1) * every) + 1;
            var best = from;
            var bestArea = -1.0;
            for (var j = from; j < to; j++)
            {
                var area = Math.Abs((x[a] - meanX) * (y[j] - y[a]) - (x[a] - x[j]) * (meanY - y[a]));
                if (area <= bestArea) continue;
                bestArea = area;
                best = j;
            }
            kept.Add(best);
            a = best;
        }
        kept.Add(n - 1);
        return kept;
    }
}
