using Microsoft.Extensions.Options;
using VptSp.Core.Training;
using VptSp.Runs.Options;

namespace VptSp.Runs;

/// <summary>
/// Every half lease, in every VptSp process (dashboard and workers): runs whose worker stopped renewing its lease are
/// re-queued (auto_resume) or marked interrupted (<see cref="TrainingQueue.ReclaimExpiredAsync"/>). Whichever process looks
/// first does it; the others find nothing.
/// </summary>
internal sealed class LostWorkerReclaimer(
    TrainingQueue queue,
    ITrainingEngine engine,
    ProgressFeed feed,
    IOptions<WorkerOptions> workers,
    ILogger<LostWorkerReclaimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(Math.Max(1, workers.Value.LeaseSeconds / 2.0));
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var reclaimed = await queue.ReclaimExpiredAsync(workers.Value.MaxAutoResumes, engine.HasCheckpoint, stoppingToken);
                    foreach (var r in reclaimed)
                    {
                        logger.LogWarning("run {RunId}: worker {Worker} lost its lease; the run is now {Status}", r.RunId, r.Worker, RunStates.Name(r.Status));
                        feed.Publish(new RunStateChangedEvent(r.RunId, r.Status, r.Reason));
                    }
                    if (reclaimed.Any(r => r.Status == RunState.Queued)) queue.Wake();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "looking for runs of lost workers failed; retrying");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
