using VptSp.Core.Training;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using VptSp.Web.Data;
using VptSp.Web.Data.Entities;

namespace VptSp.Web.Services.Runs;

/// <summary>
/// The run queue. Its order lives in the database (<see cref="RunEntity.QueueOrder"/> of runs with status
/// queued), so queued runs survive a restart; this class wakes the worker and holds the cancel handle of the
/// run that is executing.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "it is the run queue; the name is its API")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001",
    Justification = "an app-lifetime singleton; its SemaphoreSlim never allocates a wait handle (only WaitAsync is used)")]
public sealed class TrainingQueue(IDbContextFactory<ExperimentDbContext> dbFactory)
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _executing = new();
    private readonly SemaphoreSlim _orderLock = new(1, 1);

    /// <summary>
    /// Marks <paramref name="run"/> queued at the end of the queue and saves it; returns its 1-based position.
    /// Call <see cref="Wake"/> once the change is committed.
    /// </summary>
    public async Task<int> EnqueueAsync(ExperimentDbContext db, RunEntity run, CancellationToken ct)
    {
        await _orderLock.WaitAsync(ct);
        try
        {
            var last = await db.Runs.Where(r => r.Id != run.Id).MaxAsync(r => (long?)r.QueueOrder, ct) ?? 0;
            run.QueueOrder = last + 1;
            run.Status = RunState.Queued;
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

    /// <summary>Waits for the first queued run (in queue order) and returns its id.</summary>
    public async Task<long> WaitForNextAsync(CancellationToken ct)
    {
        while (true)
        {
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                var next = await db.Runs.Where(r => r.Status == RunState.Queued)
                    .OrderBy(r => r.QueueOrder).Select(r => (long?)r.Id).FirstOrDefaultAsync(ct);
                if (next is { } id) return id;
            }
            await _wake.Reader.ReadAsync(ct);
        }
    }

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

    /// <summary>Asks the executing run to stop after its current step (the engine saves a checkpoint).</summary>
    public bool TryCancelExecuting(long runId)
    {
        if (!_executing.TryGetValue(runId, out var cts)) return false;
        try { cts.Cancel(); } catch (ObjectDisposedException) { return false; }
        return true;
    }
}
