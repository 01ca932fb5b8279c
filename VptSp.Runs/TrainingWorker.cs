using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VptSp.Core.Training;
using VptSp.Runs.Data;
using VptSp.Runs.Options;
using VptSp.Runs.SystemMetrics;

namespace VptSp.Runs;

/// <summary>
/// Executes queued runs one at a time on this worker's device (Training:Device): in the dashboard's process (the embedded
/// default, Workers:InProcess) or in a <c>VptSp.Worker</c> process. It claims the next run it can serve from the shared
/// queue (<see cref="TrainingQueue.TryClaimAsync"/>), renews the run's lease while training and stops the run when a
/// dashboard asks to cancel it or when the lease was lost. Each run gets its own dedicated thread (TorchSharp's dispose
/// scopes and grad mode are per thread), a fresh DbContext and a <see cref="RunRecorder"/>. A failing run only fails that
/// run; shutdown stops the current run after its step and leaves it <c>interrupted</c> (resumable) — or re-queued when it
/// asked for auto_resume, so another worker continues it.
/// </summary>
public sealed class TrainingWorker(
    TrainingQueue queue,
    ITrainingEngine engine,
    IDbContextFactory<ExperimentDbContext> dbFactory,
    ProgressFeed feed,
    WorkerIdentity identity,
    RunPlatformRole role,
    IOptions<StorageOptions> storage,
    IOptions<WorkerOptions> workers,
    IHostEnvironment environment,
    ILogger<TrainingWorker> logger) : BackgroundService
{
    private readonly string? _gitCommit = GitCommitProbe.Find(environment.ContentRootPath);

    private TimeSpan Lease => TimeSpan.FromSeconds(workers.Value.LeaseSeconds);

    /// <summary>
    /// How long an idle worker waits for a local wake before looking again: on PostgreSQL other hosts submit runs, so it polls;
    /// on SQLite every submit, resume and re-queue happens in this process and wakes it, so it only waits.
    /// </summary>
    private TimeSpan IdleWait => storage.Value.IsPostgres ? TimeSpan.FromSeconds(workers.Value.PollSeconds) : Timeout.InfiniteTimeSpan;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (role.IsDashboard && !workers.Value.InProcess)
        {
            logger.LogInformation("Workers:InProcess is off: this dashboard trains nothing; VptSp.Worker processes claim the queued runs");
            return;
        }
        logger.LogInformation("worker {Worker} on {Device} takes queued runs", identity.Name, identity.DeviceLabel);
        while (!stoppingToken.IsCancellationRequested)
        {
            long? runId;
            try
            {
                runId = await queue.TryClaimAsync(identity, Lease, stoppingToken);
                if (runId is null)
                {
                    await queue.WaitForWorkAsync(IdleWait, stoppingToken);
                    continue;
                }
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
                await ExecuteRunAsync(runId.Value, stoppingToken);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "run {RunId}: the worker failed around it", runId);
                await TryMarkAsync(runId.Value, RunLifecycle.WorkerFailed(ex.Message));
            }
        }
    }

    private async Task ExecuteRunAsync(long runId, CancellationToken stoppingToken)
    {
        var options = storage.Value;
        TrainingRequest request;
        bool autoResume;
        await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None))
        {
            var run = await db.Runs.FirstAsync(r => r.Id == runId, CancellationToken.None);
            if (run.Status != RunState.Running || run.WorkerName != identity.Name) return; // reclaimed or cancelled since the claim
            var config = TrainingConfigYaml.FromJson(run.ConfigJson);
            // On resume the recorder drops stored history from the engine's first reported step on (past its checkpoint).
            var resume = run.ResumeRequested;
            // the engine creates the run folder once the run is sure to start: a run that cannot start leaves none
            run.StartedAt ??= DateTimeOffset.UtcNow;
            run.FinishedAt = null;
            run.Error = null;
            run.ResumeRequested = false;
            autoResume = run.AutoResume;
            await db.SaveChangesAsync(CancellationToken.None);
            // A run whose earlier execution died before its first checkpoint starts over: that execution's files go.
            if (!resume && run.Executions > 1)
                RunFiles.DeleteRunDirectory(options.RunsDirectory, run.RunDirectory);
            // The folder is the record: the rows continue from exactly what it holds up to its checkpoint.
            if (resume)
                await RunHistoryReconciler.TryReconcileAsync(db, run, new StepThinning(options.StepSamplesKeepAll, options.StepSamplesEvery), logger, CancellationToken.None);
            request = new TrainingRequest(config, run.RunDirectory, run.SourcePath, RunDevices.ForEngine(run.RequestedDevice, identity.Device), resume, options.DataDirectory);
        }
        feed.Publish(new RunStateChangedEvent(runId, RunState.Running, null));
        logger.LogInformation("run {RunId}: started on {Worker}{Resume}", runId, identity.Name, request.Resume ? " (resuming)" : "");

        var recorder = new RunRecorder(runId, _gitCommit,
            new StepThinning(options.StepSamplesKeepAll, options.StepSamplesEvery), dbFactory, feed, logger);
        var cts = queue.BeginExecution(runId, stoppingToken);
        var gpu = RunDevices.CudaIndex(request.Device) is { } cuda ? Nvml.NvmlIndex(cuda, Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES")) : null;
        using var memory = SystemSampler.Start(TimeSpan.FromSeconds(options.SystemSampleSeconds), gpu, recorder.OnSystem, () => recorder.LastStep);
        using var keeper = new LeaseKeeper(queue, identity, runId, Lease, TimeSpan.FromSeconds(workers.Value.HeartbeatSeconds), cts, logger);
        TrainingOutcome outcome;
        try
        {
            outcome = await RunOnDedicatedThreadAsync(runId, request, recorder, cts.Token);
        }
        finally
        {
            await keeper.StopAsync();
            queue.EndExecution(runId);
        }
        await recorder.CompleteAsync();
        if (keeper.Lost)
        {
            logger.LogWarning("run {RunId}: this worker lost the run's lease; another worker owns it now, nothing recorded", runId);
            return;
        }

        var transition = RunLifecycle.AfterExecution(outcome, stoppingToken.IsCancellationRequested, autoResume, engine.HasCheckpoint(request.RunDirectory));
        await FinishAsync(runId, transition, outcome, memory.PeakBytes);
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

    private async Task FinishAsync(long runId, RunTransition transition, TrainingOutcome outcome, long peakMemoryBytes)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == runId, CancellationToken.None);
        if (run is null) return; // deleted while running
        if (run.Status != RunState.Running || run.WorkerName != identity.Name) return; // reclaimed meanwhile
        await RunSummaries.RefreshBestAsync(db, run);
        if (outcome.BestEpoch is { } best) await RunSummaries.SetBestEpochAsync(db, run, best);
        if (outcome.BestMetrics is { } m)
        {
            if (m.TryGetValue(RunSummaries.RecallAt1, out var r1)) run.BestRecallAt1 = r1;
            if (m.TryGetValue(RunSummaries.MapAtR, out var map)) run.BestMapAtR = map;
        }
        // handed back to the queue (auto_resume) it keeps its place and continues from its checkpoint
        RunLifecycle.Write(run, transition, DateTimeOffset.UtcNow);
        run.PeakMemoryBytes = Math.Max(run.PeakMemoryBytes ?? 0, peakMemoryBytes); // a resumed run keeps its earlier peak
        db.Artefacts.RemoveRange(db.Artefacts.Where(a => a.RunId == runId));
        foreach (var (path, size) in RunFiles.List(run.RunDirectory))
            db.Artefacts.Add(new() { RunId = runId, RelativePath = path, SizeBytes = size });
        await db.SaveChangesAsync(CancellationToken.None);
        feed.Publish(new RunStateChangedEvent(runId, transition.To, transition.Reason));
        logger.LogInformation("run {RunId}: {Status}{Error}", runId, RunStates.Name(transition.To), transition.Reason is null ? "" : " — " + transition.Reason);
    }

    private async Task TryMarkAsync(long runId, RunTransition transition)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.Runs.Where(r => r.Id == runId && r.Status == RunState.Running && r.WorkerName == identity.Name)
                .ExecuteUpdateAsync(s => RunLifecycle.Write(s, transition, DateTimeOffset.UtcNow));
            feed.Publish(new RunStateChangedEvent(runId, transition.To, transition.Reason));
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "run {RunId}: could not record status {Status}", runId, RunStates.Name(transition.To));
        }
    }
}
