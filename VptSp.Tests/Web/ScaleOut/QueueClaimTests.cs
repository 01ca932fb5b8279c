using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VptSp.Core.Training;
using VptSp.Tests.Support;
using VptSp.Runs.Data;
using VptSp.Runs.Data.Entities;
using VptSp.Runs.Options;
using VptSp.Runs;

namespace VptSp.Tests.Web.ScaleOut;

/// <summary>The shared queue's claim, lease and reclaim on both stores: a real PostgreSQL server and a real SQLite file.</summary>
[Collection("postgres")]
public sealed class QueueClaimTests(PostgresServer postgres) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vptsp-queue-").FullName;
    private readonly ManualClock _clock = new(DateTimeOffset.Parse("2026-12-03T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [SkippableTheory]
    [InlineData(StorageOptions.Postgres)]
    [InlineData(StorageOptions.Sqlite)]
    public async Task EightConcurrentClaimersTakeEachOfFortyRunsExactlyOnceInQueueOrder(string provider)
    {
        var (factory, queue) = await StoreAsync(provider);
        var ids = await AddQueuedAsync(factory, 40);
        var claimers = Enumerable.Range(0, provider == StorageOptions.Postgres ? 8 : 2).Select(i => Worker($"w{i}")).ToList();

        var claimed = await Task.WhenAll(claimers.Select(async w =>
        {
            var mine = new List<long>();
            while (await queue.TryClaimAsync(w, TimeSpan.FromSeconds(30), CancellationToken.None) is { } id) mine.Add(id);
            return mine;
        }));

        Assert.Equal(ids, claimed.SelectMany(c => c).Order());
        Assert.All(claimed, c => Assert.Equal(c.Order(), c)); // each claimer got runs in queue order
        await using var db = await factory.CreateDbContextAsync();
        Assert.All(await db.Runs.ToListAsync(), r =>
        {
            Assert.Equal(RunState.Running, r.Status);
            Assert.Equal(1, r.Executions);
            Assert.Equal(_clock.GetUtcNow().AddSeconds(30).ToUnixTimeMilliseconds(), r.LeaseExpiresAtMs);
        });
    }

    [SkippableTheory]
    [InlineData(StorageOptions.Postgres)]
    [InlineData(StorageOptions.Sqlite)]
    public async Task ARunAskingForCudaIsClaimedOnlyByAWorkerWithAGpuAndCpuRunsByAnyWorker(string provider)
    {
        var (factory, queue) = await StoreAsync(provider);
        var cuda = (await AddQueuedAsync(factory, 1, RunDevices.Cuda))[0];
        var cpu = (await AddQueuedAsync(factory, 1, RunDevices.Cpu))[0];
        var cpuWorker = Worker("cpu-box");
        var gpuWorker = Worker("gpu-box", device: "cuda:1");

        Assert.Equal(cpu, await queue.TryClaimAsync(cpuWorker, TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.Null(await queue.TryClaimAsync(cpuWorker, TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.Equal(cuda, await queue.TryClaimAsync(gpuWorker, TimeSpan.FromSeconds(30), CancellationToken.None));
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal("cuda:1", (await db.Runs.SingleAsync(r => r.Id == cuda)).WorkerDevice);
        Assert.Equal("cpu-box", (await db.Runs.SingleAsync(r => r.Id == cpu)).WorkerName);
        Assert.Equal("cpu", RunDevices.ForEngine(RunDevices.Cpu, gpuWorker.Device));
        Assert.Equal("cuda:1", RunDevices.ForEngine(RunDevices.Auto, gpuWorker.Device));
    }

    [SkippableTheory]
    [InlineData(StorageOptions.Postgres)]
    [InlineData(StorageOptions.Sqlite)]
    public async Task AnExpiredLeaseIsReclaimedOnceAndTheOldWorkersNextHeartbeatLearnsItLostTheRun(string provider)
    {
        var (factory, queue) = await StoreAsync(provider);
        var ids = await AddQueuedAsync(factory, 3, autoResume: true);
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Runs.Where(r => r.Id == ids[2]).ExecuteUpdateAsync(s => s.SetProperty(r => r.AutoResume, false));
            await db.Runs.Where(r => r.Id == ids[1]).ExecuteUpdateAsync(s => s.SetProperty(r => r.Executions, 3)); // already resumed twice
        }
        var w1 = Worker("w1");
        foreach (var _ in ids) Assert.NotNull(await queue.TryClaimAsync(w1, TimeSpan.FromSeconds(10), CancellationToken.None));

        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(TrainingQueue.Heartbeat.Renewed, await queue.HeartbeatAsync(ids[0], w1, TimeSpan.FromSeconds(10), CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(2)); // ids[1] and ids[2] expired 1 s ago; ids[0] was renewed until +19 s
        var withCheckpoint = new HashSet<string>();
        var reclaimed = await queue.ReclaimExpiredAsync(maxAutoResumes: 3, dir => withCheckpoint.Contains(dir), CancellationToken.None);
        Assert.Empty(await queue.ReclaimExpiredAsync(3, _ => false, CancellationToken.None)); // a second reclaimer finds nothing

        // ids[1] was claimed for the 4th time (> 3 auto-resumes) and ids[2] did not ask for auto_resume: both stay interrupted.
        Assert.Equal([(ids[1], RunState.Interrupted), (ids[2], RunState.Interrupted)], reclaimed.Select(r => (r.RunId, r.Status)).Order());
        Assert.Equal(TrainingQueue.Heartbeat.Lost, await queue.HeartbeatAsync(ids[1], w1, TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.Equal(TrainingQueue.Heartbeat.Renewed, await queue.HeartbeatAsync(ids[0], w1, TimeSpan.FromSeconds(10), CancellationToken.None));

        _clock.Advance(TimeSpan.FromSeconds(11));
        var requeued = Assert.Single(await queue.ReclaimExpiredAsync(3, _ => true, CancellationToken.None));
        Assert.Equal((ids[0], RunState.Queued), (requeued.RunId, requeued.Status));
        await using var check = await factory.CreateDbContextAsync();
        var run = await check.Runs.SingleAsync(r => r.Id == ids[0]);
        Assert.True(run.ResumeRequested); // it has a checkpoint: the next worker resumes it
        Assert.Null(run.LeaseExpiresAtMs);
        Assert.Contains(RunLifecycle.LostWorkerReason, run.Error);
        var w2 = Worker("w2");
        Assert.Equal(ids[0], await queue.TryClaimAsync(w2, TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.Equal(2, (await check.Runs.AsNoTracking().SingleAsync(r => r.Id == ids[0])).Executions);
    }

    [SkippableTheory]
    [InlineData(StorageOptions.Postgres)]
    [InlineData(StorageOptions.Sqlite)]
    public async Task ACancelFlagIsReportedByTheNextHeartbeatOfTheWorkerHoldingTheRun(string provider)
    {
        var (factory, queue) = await StoreAsync(provider);
        var id = (await AddQueuedAsync(factory, 1))[0];
        var w = Worker("w");
        await queue.TryClaimAsync(w, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal(TrainingQueue.Heartbeat.Renewed, await queue.HeartbeatAsync(id, w, TimeSpan.FromSeconds(10), CancellationToken.None));
        await using (var db = await factory.CreateDbContextAsync())
            await db.Runs.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.CancelRequested, true));
        Assert.Equal(TrainingQueue.Heartbeat.CancelRequested, await queue.HeartbeatAsync(id, w, TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.Equal(TrainingQueue.Heartbeat.Lost, await queue.HeartbeatAsync(id, Worker("someone-else"), TimeSpan.FromSeconds(10), CancellationToken.None));
    }

    private async Task<(IDbContextFactory<ExperimentDbContext>, TrainingQueue)> StoreAsync(string provider)
    {
        var storage = new StorageOptions { Provider = provider, DataDirectory = _dir };
        if (provider == StorageOptions.Postgres)
        {
            postgres.SkipIfUnavailable();
            storage.ConnectionString = await postgres.CreateDatabaseAsync();
        }
        else
        {
            storage.ConnectionString = $"Data Source={Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".db")}";
        }
        var factory = new ExperimentDatabase(Options.Create(storage), NullLoggerFactory.Instance);
        await using (var db = await factory.CreateDbContextAsync()) await db.ApplyMigrationsAsync();
        return (factory, new TrainingQueue(factory, _clock));
    }

    private static async Task<List<long>> AddQueuedAsync(IDbContextFactory<ExperimentDbContext> factory, int count, string device = RunDevices.Auto, bool autoResume = false)
    {
        await using var db = await factory.CreateDbContextAsync();
        var order = await db.Runs.MaxAsync(r => (long?)r.QueueOrder) ?? 0;
        var runs = Enumerable.Range(1, count).Select(i => new RunEntity
        {
            Name = $"r{order + i}", Status = RunState.Queued, QueueOrder = order + i, CreatedAt = DateTimeOffset.UtcNow,
            RequestedDevice = device, AutoResume = autoResume, RunDirectory = $"/runs/{order + i}",
        }).ToList();
        db.Runs.AddRange(runs);
        await db.SaveChangesAsync();
        return runs.Select(r => r.Id).ToList();
    }

    private static WorkerIdentity Worker(string name, string device = "cpu") =>
        new(Options.Create(new WorkerOptions { Name = name }), Options.Create(new TrainingOptions { Device = device }));

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }
}
