using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VptSp.Core.Training;
using VptSp.Runs.Data;
using VptSp.Runs.Data.Entities;

namespace VptSp.Runs;

/// <summary>
/// The run folder is the record, the database an index of it: this brings a run's epoch rows and step rows to exactly
/// what its folder holds up to its checkpoint (<see cref="RunJournal.ReadCommitted"/>): missing rows are inserted,
/// rows past the checkpoint or duplicated are deleted, step rows thinned as the live recorder thins them. Runs on
/// start-up (for runs a crash may have left behind) and before every resume. A folder without a checkpoint or
/// journal (a run that never finished an epoch, another engine's folder) leaves the rows as they are.
/// </summary>
public static class RunHistoryReconciler
{
    /// <summary>What changed: rows inserted and deleted; null when the folder holds no record to reconcile with.</summary>
    public sealed record Result(int EpochsInserted, int EpochsDeleted, int StepsInserted, int StepsDeleted, int CheckpointEpoch)
    {
        public bool Changed => EpochsInserted + EpochsDeleted + StepsInserted + StepsDeleted > 0;
    }

    public static async Task<Result?> ReconcileAsync(ExperimentDbContext db, RunEntity run, StepThinning thinning, CancellationToken ct = default)
    {
        var history = RunJournal.ReadCommitted(run.RunDirectory);
        if (history is null) return null;
        var wantedSteps = history.Steps.Where(s => thinning.Keep(s.Step, s.StepsPerEpoch)).ToDictionary(s => s.Step);
        var wantedEpochs = history.Epochs.ToDictionary(e => e.Epoch);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var stepRows = await db.Steps.AsNoTracking().Where(x => x.RunId == run.Id).Select(x => new { x.Id, x.Step }).ToListAsync(ct);
        var (dropSteps, haveSteps) = Split(stepRows.Select(r => (r.Id, r.Step)), wantedSteps.ContainsKey);
        var epochRows = await db.Epochs.AsNoTracking().Where(x => x.RunId == run.Id).Select(x => new { x.Id, x.Epoch }).ToListAsync(ct);
        var (dropEpochs, haveEpochs) = Split(epochRows.Select(r => (r.Id, r.Epoch)), wantedEpochs.ContainsKey);

        if (dropSteps.Count > 0) await db.Steps.Where(x => dropSteps.Contains(x.Id)).ExecuteDeleteAsync(ct);
        if (dropEpochs.Count > 0) await db.Epochs.Where(x => dropEpochs.Contains(x.Id)).ExecuteDeleteAsync(ct);
        var addSteps = wantedSteps.Values.Where(s => !haveSteps.Contains(s.Step)).ToList();
        var addEpochs = wantedEpochs.Values.Where(e => !haveEpochs.Contains(e.Epoch)).ToList();
        db.Steps.AddRange(addSteps.Select(s => StepSampleEntity.From(run.Id, s)));
        var now = DateTimeOffset.UtcNow;
        db.Epochs.AddRange(addEpochs.Select(e => new EpochMetricEntity
        {
            RunId = run.Id, Epoch = e.Epoch, Loss = e.Loss, DurationSeconds = e.Duration.TotalSeconds, IsBest = e.IsBest,
            MetricsJson = JsonSerializer.Serialize(e.Metrics), RecordedAt = now,
        }));
        await db.SaveChangesAsync(ct);
        await RunSummaries.RefreshBestAsync(db, run, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Result(addEpochs.Count, dropEpochs.Count, addSteps.Count, dropSteps.Count, history.Checkpoint.Epoch);
    }

    /// <summary>Reconciles one run's rows with its folder; a folder that cannot be read is logged and left alone.</summary>
    public static async Task TryReconcileAsync(ExperimentDbContext db, RunEntity run, StepThinning thinning, ILogger logger, CancellationToken ct)
    {
        try
        {
            var result = await RunHistoryReconciler.ReconcileAsync(db, run, thinning, ct);
            if (result is { Changed: true })
                logger.LogWarning("run {RunId}: database rows reconciled with the run folder (checkpoint after epoch {Epoch}): " +
                                  "{EpochsIn} epoch(s) and {StepsIn} step(s) inserted, {EpochsOut} epoch(s) and {StepsOut} step(s) deleted",
                    run.Id, result.CheckpointEpoch, result.EpochsInserted, result.StepsInserted, result.EpochsDeleted, result.StepsDeleted);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidDataException)
        {
            logger.LogError(ex, "run {RunId}: its run folder could not be read to reconcile the database; rows left as they are", run.Id);
        }
    }

    /// <summary>Row ids to delete (unwanted keys and second copies of a key) and the keys kept.</summary>
    private static (List<long> Drop, HashSet<int> Kept) Split(IEnumerable<(long Id, int Key)> rows, Func<int, bool> wanted)
    {
        var drop = new List<long>();
        var kept = new HashSet<int>();
        foreach (var (id, key) in rows.OrderBy(r => r.Id))
        {
            if (wanted(key) && kept.Add(key)) continue;
            drop.Add(id);
        }
        return (drop, kept);
    }
}
