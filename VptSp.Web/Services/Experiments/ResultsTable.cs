namespace VptSp.Web.Services.Experiments;

/// <summary>One row of the paper table: a group (or a run) with mean ± std of each best-epoch metric over its completed runs.</summary>
public sealed record ResultsRow(
    string Label,
    int Runs,
    int Completed,
    IReadOnlyDictionary<string, MetricStat?> Metrics,
    long? TrainableParameters,
    double? TrainablePercent,
    MetricStat? ImagesPerSecond,
    MetricStat? PeakMemoryMb);

/// <summary>The paper-ready results table: metric columns (R@K for the K the runs evaluated, both MAP@R variants) and the rule it follows.</summary>
public sealed record ResultsTable(IReadOnlyList<string> MetricKeys, IReadOnlyList<ResultsRow> Rows)
{
    /// <summary>How the numbers were chosen and aggregated; every export carries it.</summary>
    public const string Rule =
        "Metrics at each run's best epoch (the epoch the run reports as best: its storage_metrics, R@1 by default, on the evaluation split as in the reference); " +
        "mean ± sample std (n−1) over a group's completed runs, in %. MAP@R averages over queries with at least one positive; " +
        "MAP@R (ref.) averages over all queries as the reference code does. Trainable parameters: count and share of all parameters. " +
        "img/s: mean training throughput over the recorded steps. Peak memory: peak working set of the server process while the run executed.";

    public static ResultsTable Build(IReadOnlyList<RunGroup> groups)
    {
        var keys = ExperimentMetrics.Order(groups.SelectMany(g => g.Counted).SelectMany(r => r.BestMetrics.Keys))
            .Where(k => ExperimentMetrics.RecallOf(k) is not null || k is ExperimentMetrics.MapAtR or ExperimentMetrics.MapAtRRef).ToList();
        var rows = groups.Select(g =>
        {
            var counted = g.Counted;
            var withParams = g.Runs.Where(r => r.Summary.TotalParameters > 0).ToList();
            return new ResultsRow(
                g.Label, g.Runs.Count, counted.Count,
                keys.ToDictionary(k => k, g.Stat),
                withParams.Count == 0 ? null : (long)Math.Round(withParams.Average(r => (double)r.Summary.TrainableParameters)),
                withParams.Count == 0 ? null : withParams.Average(r => r.Summary.TrainablePercent),
                MetricStat.Of(counted.Where(r => r.ImagesPerSecond is not null).Select(r => r.ImagesPerSecond!.Value)),
                MetricStat.Of(counted.Where(r => r.PeakMemoryBytes is not null).Select(r => r.PeakMemoryBytes!.Value / (1024.0 * 1024.0))));
        }).ToList();
        return new ResultsTable(keys, rows);
    }
}
