namespace VptSp.Runs;

/// <summary>
/// While a run executes: renews its lease every heartbeat, stops the run when a dashboard asked to cancel it, and stops it
/// (marking <see cref="Lost"/>) when the run is no longer this worker's — its lease ran out and another process reclaimed
/// it, or it was deleted. A database that cannot be reached only logs: the lease then runs out and the run is reclaimed.
/// </summary>
internal sealed class LeaseKeeper : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LeaseKeeper(TrainingQueue queue, WorkerIdentity worker, long runId, TimeSpan lease, TimeSpan heartbeat,
        CancellationTokenSource run, ILogger logger)
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(heartbeat);
            var cancelled = false;
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    TrainingQueue.Heartbeat beat;
                    try
                    {
                        beat = await queue.HeartbeatAsync(runId, worker, lease, _stop.Token);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        logger.LogWarning(ex, "run {RunId}: renewing the lease failed; retrying at the next heartbeat", runId);
                        continue;
                    }
                    if (beat == TrainingQueue.Heartbeat.Lost)
                    {
                        Lost = true;
                        TryCancel(run);
                        return;
                    }
                    if (beat == TrainingQueue.Heartbeat.CancelRequested && !cancelled)
                    {
                        cancelled = true;
                        logger.LogInformation("run {RunId}: cancel requested from a dashboard", runId);
                        TryCancel(run);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    /// <summary>The run stopped being this worker's while it executed: nothing may be recorded for it.</summary>
    public bool Lost { get; private set; }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    private static void TryCancel(CancellationTokenSource run)
    {
        try { run.Cancel(); } catch (ObjectDisposedException) { }
    }

    public void Dispose() => _stop.Dispose();
}
