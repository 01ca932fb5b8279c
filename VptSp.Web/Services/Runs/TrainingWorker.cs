using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VptSp.Core.Training;
using VptSp.Web.Data;
using VptSp.Web.Options;

namespace VptSp.Web.Services.Runs;

/// <summary>
/// Executes queued runs one at a time on the configured device (Training:Device). Each run gets its own dedicated thread
/// (TorchSharp's dispose scopes and grad mode are per thread), a fresh DbContext and a <see cref="RunRecorder"/>.
/// A failing run (Failed outcome or exception) only fails that run; shutdown stops the current run after its
/// step and leaves it <c>interrupted</c> (resumable).
/// </summary>
public sealed class TrainingWorker(
    TrainingQueue queue,
    ITrainingEngine engine,
    IDbContextFactory<ExperimentDbContext> dbFactory,
    ProgressFeed feed,
    IOptions<StorageOptions> storage,
    IOptions<TrainingOptions> training,
    IHostEnvironment environment,
    ILogger<TrainingWorker> logger) : BackgroundService
{
    private readonly string? _gitCommit = GitCommitProbe.Find(environment.ContentRootPath);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            long runId;
            try
            {
                runId = await queue.WaitForNextAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "reading the run queue failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            try
            {
                await ExecuteRunAsync(runId, stoppingToken);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "run {RunId}: the worker failed around it", runId);
                await TryMarkAsync(runId, RunState.Failed, "worker error: " + ex.Message);
            }
        }
    }

    private async Task ExecuteRunAsync(long runId, CancellationToken stoppingToken)
    {
        var options = storage.Value;
        TrainingRequest request;
        await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None))
        {
            var run = await db.Runs.FirstAsync(r => r.Id == runId, CancellationToken.None);
            if (run.Status != RunState.Queued) return; // cancelled or deleted since it was picked
            var config = TrainingConfigYaml.FromJson(run.ConfigJson);
            // On resume the recorder drops stored history from the engine's first reported step on (past its checkpoint).
            var resume = run.ResumeRequested;
            // the engine creates the run folder once the run is sure to start: a run that cannot start leaves none
            run.Status = RunState.Running;
            run.StartedAt ??= DateTimeOffset.UtcNow;
            run.FinishedAt = null;
            run.Error = null;
            run.ResumeRequested = false;
            await db.SaveChangesAsync(CancellationToken.None);
            // The folder is the record: the rows continue from exactly what it holds up to its checkpoint.
            if (resume)
                await RunHistoryReconciler.TryReconcileAsync(db, run, new StepThinning(options.StepSamplesKeepAll, options.StepSamplesEvery), logger, CancellationToken.None);
            request = new TrainingRequest(config, run.RunDirectory, run.SourcePath, training.Value.Device, resume, options.DataDirectory);
        }
        feed.Publish(new RunStateChangedEvent(runId, RunState.Running, null));
        logger.LogInformation("run {RunId}: started{Resume}", runId, request.Resume ? " (resuming)" : "");

        var recorder = new RunRecorder(runId, _gitCommit,
            new StepThinning(options.StepSamplesKeepAll, options.StepSamplesEvery), dbFactory, feed, logger);
        var cts = queue.BeginExecution(runId, stoppingToken);
        using var memory = PeakMemorySampler.Start();
        TrainingOutcome outcome;
        try
        {
            outcome = await RunOnDedicatedThreadAsync(runId, request, recorder, cts.Token);
        }
        finally
        {
            queue.EndExecution(runId);
        }
        await recorder.CompleteAsync();

        var (status, error) = outcome.State switch
        {
            RunState.Completed => (RunState.Completed, (string?)null),
            RunState.Cancelled when stoppingToken.IsCancellationRequested => (RunState.Interrupted, "the server stopped during the run"),
            RunState.Cancelled => (RunState.Cancelled, null),
            RunState.Failed => (RunState.Failed, outcome.Error ?? "the run failed"),
            RunState.Interrupted => (RunState.Interrupted, outcome.Error),
            _ => (RunState.Failed, $"the engine ended in state {RunStates.Name(outcome.State)}"),
        };
        await FinishAsync(runId, status, error, outcome, memory.PeakBytes);
    }

    private async Task<TrainingOutcome> RunOnDedicatedThreadAsync(long runId, TrainingRequest request, RunRecorder recorder, CancellationToken token)
    {
        try
        {
            return await TrainingThread.StartAsync(() => engine.Run(request, recorder, token), $"vptsp-train-{runId}");
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return new TrainingOutcome(RunState.Cancelled, recorder.EpochsStored, null, null, null);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "run {RunId}: the engine threw", runId);
            return new TrainingOutcome(RunState.Failed, recorder.EpochsStored, null, null, VptSp.Core.Diagnostics.UserErrors.OneLine(ex));
        }
    }

    private async Task FinishAsync(long runId, RunState status, string? error, TrainingOutcome outcome, long peakMemoryBytes)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == runId, CancellationToken.None);
        if (run is null) return; // deleted while running
        await RunSummaries.RefreshBestAsync(db, run);
        if (outcome.BestEpoch is { } best) run.BestEpoch = best;
        if (outcome.BestMetrics is { } m)
        {
            if (m.TryGetValue(RunSummaries.RecallAt1, out var r1)) run.BestRecallAt1 = r1;
            if (m.TryGetValue(RunSummaries.MapAtR, out var map)) run.BestMapAtR = map;
        }
        run.Status = status;
        run.Error = error;
        run.FinishedAt = DateTimeOffset.UtcNow;
        run.PeakMemoryBytes = Math.Max(run.PeakMemoryBytes ?? 0, peakMemoryBytes); // a resumed run keeps its earlier peak
        db.Artefacts.RemoveRange(db.Artefacts.Where(a => a.RunId == runId));
        foreach (var (path, size) in RunFiles.List(run.RunDirectory))
            db.Artefacts.Add(new() { RunId = runId, RelativePath = path, SizeBytes = size });
        await db.SaveChangesAsync(CancellationToken.None);
        feed.Publish(new RunStateChangedEvent(runId, status, error));
        logger.LogInformation("run {RunId}: {Status}{Error}", runId, RunStates.Name(status), error is null ? "" : " — " + error);
    }

    private async Task TryMarkAsync(long runId, RunState status, string error)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.Runs.Where(r => r.Id == runId && (r.Status == RunState.Running || r.Status == RunState.Queued))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status).SetProperty(r => r.Error, error).SetProperty(r => r.FinishedAt, DateTimeOffset.UtcNow));
            feed.Publish(new RunStateChangedEvent(runId, status, error));
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "run {RunId}: could not record status {Status}", runId, status);
        }
    }
}
