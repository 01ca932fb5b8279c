using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VptSp.Runs.Data;
using VptSp.Runs.Data.Entities;

namespace VptSp.Runs;

/// <summary>Keeps a run row's epoch count and best results in step with its epoch rows.</summary>
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
        foreach (var e in epochs)
        {
            var m = Metrics(e);
            var r1 = m.TryGetValue(RecallAt1, out var v) ? v : (double?)null;
            var better = r1 is not null ? run.BestRecallAt1 is null || r1 > run.BestRecallAt1 : e.IsBest;
            if (!better) continue;
            run.BestEpoch = e.Epoch;
            run.BestRecallAt1 = r1;
            run.BestMapAtR = m.TryGetValue(MapAtR, out var map) ? map : null;
        }
    }

    public static Dictionary<string, double> Metrics(EpochMetricEntity e) =>
        JsonSerializer.Deserialize<Dictionary<string, double>>(e.MetricsJson) ?? [];
}
