using VptSp.Core.Training;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using VptSp.Runs.Data;
using VptSp.Runs.Data.Entities;

namespace VptSp.Runs;

/// <summary>
/// The run queue, shared by every worker through the database: queued runs in <see cref="RunEntity.QueueOrder"/>, claimed
/// atomically by one worker (PostgreSQL: <c>SELECT … FOR UPDATE SKIP LOCKED</c>; both stores: a guarded update that only
/// one claimer can win), held by a lease the worker renews (<see cref="HeartbeatAsync"/>) and reclaimed when the lease
/// runs out (<see cref="ReclaimExpiredAsync"/>). This class also wakes the in-process worker after a local submit and holds
/// the cancel handles of the runs executing in this process.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "it is the run queue; the name is its API")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001",
    Justification = "an app-lifetime singleton; its SemaphoreSlim never allocates a wait handle (only WaitAsync is used)")]
public sealed class TrainingQueue(IDbContextFactory<ExperimentDbContext> dbFactory, TimeProvider time)
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _executing = new();
    private readonly SemaphoreSlim _orderLock = new(1, 1);

    /// <summary>
    /// Queues <paramref name="run"/> (<see cref="RunLifecycle.Queued"/> or <see cref="RunLifecycle.Resumed"/>) at the end of
    /// the queue and saves it; returns its 1-based position. Call <see cref="Wake"/> once the change is committed.
    /// </summary>
    public async Task<int> EnqueueAsync(ExperimentDbContext db, RunEntity run, RunTransition transition, CancellationToken ct)
    {
        await _orderLock.WaitAsync(ct);
        try
        {
            var last = await db.Runs.Where(r => r.Id != run.Id).MaxAsync(r => (long?)r.QueueOrder, ct) ?? 0;
            run.QueueOrder = last + 1;
            RunLifecycle.Write(run, transition, time.GetUtcNow());
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            _orderLock.Release();
        }
        return await PositionOfAsync(db, run, ct);
    }

    public static async Task<int> PositionOfAsync(ExperimentDbContext db, RunEntity run, CancellationToken ct) =>
        await db.Runs.CountAsync(r => r.Status == RunState.Queued && r.QueueOrder < run.QueueOrder, ct) + 1;

    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Waits for a local <see cref="Wake"/> or <paramref name="poll"/>, whichever comes first (other hosts' submits are seen by polling).</summary>
    public async Task WaitForWorkAsync(TimeSpan poll, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(poll);
        try
        {
            await _wake.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Claims the first queued run (in queue order) that <paramref name="worker"/> can serve: marks it running, writes the
    /// worker and a lease of <paramref name="lease"/>, counts the execution. Null when there is none. Exactly one of several
    /// concurrent claimers gets a given run.
    /// </summary>
    public async Task<long?> TryClaimAsync(WorkerIdentity worker, TimeSpan lease, CancellationToken ct)
    {
        var devices = RunDevices.Claimable(worker.HasCuda);
        var (d0, d1, d2) = (devices[0], devices[1], devices[^1]);
        var queued = RunStates.Name(RunState.Queued);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // PostgreSQL: the candidate row is locked for this transaction and skipped by every other claimer.
            var candidates = db.IsPostgres()
                ? db.Database.SqlQuery<long>($"""
                    SELECT "Id" AS "Value" FROM "Runs" WHERE "Status" = {queued} AND "RequestedDevice" IN ({d0}, {d1}, {d2})
                    ORDER BY "QueueOrder", "Id" LIMIT 1 FOR UPDATE SKIP LOCKED
                    """)
                : db.Database.SqlQuery<long>($"""
                    SELECT "Id" AS "Value" FROM "Runs" WHERE "Status" = {queued} AND "RequestedDevice" IN ({d0}, {d1}, {d2})
                    ORDER BY "QueueOrder", "Id" LIMIT 1
                    """);
            var ids = await candidates.ToListAsync(ct);
            if (ids.Count == 0) return null;
            var id = ids[0];
            var expires = LeaseEnd(lease);
            // The guard makes the claim exclusive on both stores: only one update finds the run still queued.
            var now = time.GetUtcNow();
            var claimed = await db.Runs.Where(r => r.Id == id && r.Status == RunState.Queued).ExecuteUpdateAsync(s =>
            {
                RunLifecycle.Write(s, RunLifecycle.Claimed, now);
                s.SetProperty(r => r.WorkerName, worker.Name)
                    .SetProperty(r => r.WorkerDevice, worker.DeviceLabel)
                    .SetProperty(r => r.LeaseExpiresAtMs, expires)
                    .SetProperty(r => r.Executions, r => r.Executions + 1);
            }, ct);
            await tx.CommitAsync(ct);
            if (claimed == 1) return id;
        }
        return null;
    }

    /// <summary>What a heartbeat learned about a run this worker executes.</summary>
    public enum Heartbeat
    {
        /// <summary>Lease renewed; carry on.</summary>
        Renewed,
        /// <summary>Lease renewed and a dashboard asked to cancel the run.</summary>
        CancelRequested,
        /// <summary>The run is no longer this worker's (lease expired and reclaimed, or the run was deleted): stop without recording.</summary>
        Lost,
    }

    /// <summary>Renews this worker's lease on <paramref name="runId"/> and reads its cancel flag.</summary>
    public async Task<Heartbeat> HeartbeatAsync(long runId, WorkerIdentity worker, TimeSpan lease, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var expires = LeaseEnd(lease);
        var renewed = await db.Runs.Where(r => r.Id == runId && r.Status == RunState.Running && r.WorkerName == worker.Name)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAtMs, expires), ct);
        if (renewed == 0) return Heartbeat.Lost;
        var cancel = await db.Runs.Where(r => r.Id == runId).Select(r => r.CancelRequested).FirstOrDefaultAsync(ct);
        return cancel ? Heartbeat.CancelRequested : Heartbeat.Renewed;
    }

    /// <summary>A run whose lease ran out, what it became and why.</summary>
    public sealed record Reclaimed(long RunId, RunState Status, string? Reason, string Worker);

    /// <summary>
    /// Runs still marked running whose lease ran out lost their worker: each is re-queued at its old place to resume from its
    /// checkpoint (auto_resume, at most <paramref name="maxAutoResumes"/> times) or marked interrupted. Safe to call from any
    /// number of processes at once: a run is reclaimed by exactly one, and never while its lease is being renewed.
    /// </summary>
    public async Task<IReadOnlyList<Reclaimed>> ReclaimExpiredAsync(int maxAutoResumes, Func<string, bool> hasCheckpoint, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var expired = await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunState.Running && r.LeaseExpiresAtMs != null && r.LeaseExpiresAtMs < now)
            .Select(r => new { r.Id, r.AutoResume, r.Executions, r.LeaseExpiresAtMs, r.RunDirectory, r.WorkerName })
            .ToListAsync(ct);
        var result = new List<Reclaimed>();
        foreach (var run in expired)
        {
            var t = RunLifecycle.WorkerLost(RunLifecycle.LostWorkerReason, run.AutoResume, run.Executions, maxAutoResumes, hasCheckpoint(run.RunDirectory));
            var changed = await db.Runs.Where(r => r.Id == run.Id && r.Status == RunState.Running && r.LeaseExpiresAtMs == run.LeaseExpiresAtMs)
                .ExecuteUpdateAsync(s => RunLifecycle.Write(s, t, time.GetUtcNow()), ct);
            if (changed == 1) result.Add(new Reclaimed(run.Id, t.To, t.Reason, run.WorkerName ?? "?"));
        }
        return result;
    }

    private long LeaseEnd(TimeSpan lease) => time.GetUtcNow().Add(lease).ToUnixTimeMilliseconds();

    /// <summary>Registers the run being executed; its token is cancelled by <see cref="TryCancelExecuting"/> or <paramref name="stopping"/>.</summary>
    public CancellationTokenSource BeginExecution(long runId, CancellationToken stopping)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _executing[runId] = cts;
        return cts;
    }

    public void EndExecution(long runId)
    {
        if (_executing.TryRemove(runId, out var cts)) cts.Dispose();
    }

    public bool IsExecuting(long runId) => _executing.ContainsKey(runId);

    /// <summary>Asks the run executing in this process to stop after its current step (the engine saves a checkpoint).</summary>
    public bool TryCancelExecuting(long runId)
    {
        if (!_executing.TryGetValue(runId, out var cts)) return false;
        try { cts.Cancel(); } catch (ObjectDisposedException) { return false; }
        return true;
    }
}
