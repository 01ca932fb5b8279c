namespace VptSp.Web.Services.Experiments;

/// <summary>Mean, sample standard deviation (n − 1 in the denominator; 0 for a single value) and count of a set of values.</summary>
public readonly record struct MetricStat(double Mean, double Std, int N)
{
    public static MetricStat? Of(IEnumerable<double> values)
    {
        var xs = values.Where(double.IsFinite).ToList();
        if (xs.Count == 0) return null;
        var mean = xs.Average();
        var std = xs.Count < 2 ? 0 : Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1));
        return new MetricStat(mean, std, xs.Count);
    }
}
