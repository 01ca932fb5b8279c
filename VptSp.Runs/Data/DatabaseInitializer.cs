using VptSp.Core.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VptSp.Runs.Options;
using VptSp.Runs;

namespace VptSp.Runs.Data;

/// <summary>
/// Start-up step (runs before the worker): creates the data folders and applies the migrations of the configured store.
/// With SQLite (one host, the in-process worker is the only one) it also switches to WAL and marks runs left <c>running</c>
/// by a crash or kill as having lost their worker at once (<see cref="RunLifecycle.WorkerLost"/>); with PostgreSQL other hosts' workers may be training, so runs are only
/// taken back when their lease runs out (<see cref="LostWorkerReclaimer"/>). The dashboard then reconciles resumable runs'
/// epoch and step rows with their run folders (<see cref="RunHistoryReconciler"/>).
/// </summary>
internal sealed class DatabaseInitializer(
    IDbContextFactory<ExperimentDbContext> dbFactory,
    IOptions<StorageOptions> storage,
    IOptions<WorkerOptions> workers,
    ITrainingEngine engine,
    RunPlatformRole role,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = storage.Value;
        Directory.CreateDirectory(options.DataDirectory);
        Directory.CreateDirectory(options.RunsDirectory);
        Directory.CreateDirectory(options.DemoRoot);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.ApplyMigrationsAsync(cancellationToken);
        if (!db.IsPostgres())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            // A run still "running" here outlived its server process (killed, crashed, power cut): it lost its worker, as a
            // run whose lease ran out does on PostgreSQL (interrupted, or re-queued when it asked for auto_resume).
            var died = await db.Runs.Where(r => r.Status == RunState.Running).ToListAsync(cancellationToken);
            foreach (var run in died)
                RunLifecycle.Write(run, RunLifecycle.WorkerLost(RunLifecycle.DiedReason, run.AutoResume, run.Executions,
                    workers.Value.MaxAutoResumes, engine.HasCheckpoint(run.RunDirectory)), DateTimeOffset.UtcNow);
            await db.SaveChangesAsync(cancellationToken);
            if (died.Count > 0)
                logger.LogWarning("{Count} run(s) left running by an earlier server were marked interrupted or re-queued", died.Count);
        }
        if (!role.IsDashboard) return;

        // Their rows (and those of any resumable run) are brought back to what their run folders hold.
        var thinning = new StepThinning(options.StepSamplesKeepAll, options.StepSamplesEvery);
        var resumable = await db.Runs.Where(r => r.Status == RunState.Interrupted || r.Status == RunState.Cancelled || r.Status == RunState.Failed).ToListAsync(cancellationToken);
        foreach (var run in resumable)
            await RunHistoryReconciler.TryReconcileAsync(db, run, thinning, logger, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
