using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VptSp.Runs.Data;
using VptSp.Runs.Data.Entities;

namespace VptSp.Runs;

/// <summary>
/// Keeps a run row's summary (epoch count, best and last results, step count, mean throughput) in step with its epoch and
/// step rows, so list, results and group views read run rows only.
/// </summary>
public static class RunSummaries
{
    public const string RecallAt1 = "recall@1";
    public const string MapAtR = "map@r";

    public static async Task RefreshBestAsync(ExperimentDbContext db, RunEntity run, CancellationToken ct = default)
    {
        var epochs = await db.Epochs.AsNoTracking().Where(e => e.RunId == run.Id).OrderBy(e => e.Epoch).ToListAsync(ct);
        run.EpochsCompleted = epochs.Count;
        run.BestEpoch = null;
        run.BestRecallAt1 = null;
        run.BestMapAtR = null;
        run.BestMetricsJson = null;
        foreach (var e in epochs)
        {
            var m = Metrics(e);
            var r1 = m.TryGetValue(RecallAt1, out var v) ? v : (double?)null;
            var better = r1 is not null ? run.BestRecallAt1 is null || r1 > run.BestRecallAt1 : e.IsBest;
            if (!better) continue;
            run.BestEpoch = e.Epoch;
            run.BestRecallAt1 = r1;
            run.BestMapAtR = m.TryGetValue(MapAtR, out var map) ? map : null;
            run.BestMetricsJson = e.MetricsJson;
        }
        var last = epochs.LastOrDefault();
        run.LastLoss = last?.Loss;
        run.LastRecallAt1 = last is not null && Metrics(last).TryGetValue(RecallAt1, out var lastR1) ? lastR1 : null;
        await RefreshStepsAsync(db, run, ct);
    }

    /// <summary>The step count and mean throughput from the run's stored step rows (one aggregate query).</summary>
    public static async Task RefreshStepsAsync(ExperimentDbContext db, RunEntity run, CancellationToken ct = default)
    {
        var steps = db.Steps.AsNoTracking().Where(s => s.RunId == run.Id);
        run.StepsRecorded = await steps.CountAsync(ct);
        run.MeanImagesPerSecond = await steps.Where(s => s.ImagesPerSecond > 0).Select(s => (double?)s.ImagesPerSecond).AverageAsync(ct);
    }

    /// <summary>Sets the best epoch (the engine's word at the end of a run) and copies that epoch's metrics onto the run row.</summary>
    public static async Task SetBestEpochAsync(ExperimentDbContext db, RunEntity run, int bestEpoch, CancellationToken ct = default)
    {
        run.BestEpoch = bestEpoch;
        run.BestMetricsJson = await db.Epochs.AsNoTracking().Where(e => e.RunId == run.Id && e.Epoch == bestEpoch)
            .Select(e => e.MetricsJson).FirstOrDefaultAsync(ct);
    }

    public static Dictionary<string, double> Metrics(EpochMetricEntity e) => Metrics(e.MetricsJson);

    public static Dictionary<string, double> Metrics(string? metricsJson) =>
        string.IsNullOrEmpty(metricsJson) ? [] : JsonSerializer.Deserialize<Dictionary<string, double>>(metricsJson) ?? [];
}
