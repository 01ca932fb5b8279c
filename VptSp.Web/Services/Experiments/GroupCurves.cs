namespace VptSp.Web.Services.Experiments;

/// <summary>A group's curve at one x: mean, sample std, min and max over the runs that have a value there.</summary>
public readonly record struct BandPoint(double X, double Mean, double Std, double Min, double Max, int N);

/// <summary>Mean and band (min–max or ± std) of a group's per-epoch curves: the compare-at-scale view.</summary>
public static class GroupCurves
{
    public static IReadOnlyList<BandPoint> Band(IEnumerable<IReadOnlyList<(double X, double Y)>> runs) =>
        runs.SelectMany(r => r).Where(p => double.IsFinite(p.Y)).GroupBy(p => p.X).OrderBy(g => g.Key)
            .Select(g =>
            {
                var s = MetricStat.Of(g.Select(p => p.Y))!.Value;
                return new BandPoint(g.Key, s.Mean, s.Std, g.Min(p => p.Y), g.Max(p => p.Y), s.N);
            }).ToList();
}
