using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using VptSp.Core.Training;
using VptSp.Tests.Support;
using VptSp.Runs.Data;
using VptSp.Runs.Data.Entities;
using VptSp.Runs;

namespace VptSp.Tests.Web.Services;

/// <summary>
/// A real tiny run (3 epochs × 3 steps) stopped at each point of the trainer's write sequence as a kill would stop it
/// (a fault hook throws there; nothing after it runs), then recovered the way the web host recovers: the database,
/// lagging behind and holding rows past the checkpoint, is reconciled with the run folder, and the run resumes to
/// the end. Every epoch and step is then recorded exactly once, and the results equal an uninterrupted run's.
/// </summary>
public sealed class CrashPointTests(CrashPointTests.Reference reference) : IClassFixture<CrashPointTests.Reference>, IDisposable
{
    private const int Epochs = 3;
    private const int StepsPerEpoch = 3; // 4 train classes × 6 images, batches of 8

    private readonly string _root = Directory.CreateTempSubdirectory("vptsp-crash-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    /// <summary>Kill point, which occurrence of it, and the epoch the surviving checkpoint covers.</summary>
    public static TheoryData<string, int, int> KillPoints => new()
    {
        { "step 5", 1, 1 },                    // mid-epoch 2
        { "epoch 2 recorded", 1, 1 },          // metrics.jsonl and history.jsonl hold epoch 2, the checkpoint does not yet
        { "checkpoint written", 2, 1 },        // epoch 2's checkpoint written aside and fsync'd, not yet swapped in
        { "checkpoint moved aside", 2, 1 },    // between the two renames: no checkpoint/ at all until recovery
        { "checkpoint swapped", 2, 2 },        // epoch 2's checkpoint in place, epoch 1's still aside
        { "epoch 2 checkpointed", 1, 2 },      // everything on disk, nothing told to the observers (the database)
    };

    [Theory]
    [MemberData(nameof(KillPoints))]
    public async Task AKillAtThisPointLosesAndDoublesNothingOnceTheDatabaseIsReconciledAndTheRunResumed(string point, int occurrence, int checkpointEpoch)
    {
        var runDir = Path.Combine(_root, "run");
        var config = Config();
        var killed = RunWithKill(config, runDir, point, occurrence);
        Assert.Equal(RunState.Failed, killed.State);
        Assert.Contains("simulated kill", killed.Error);

        // What the folder holds up to its checkpoint is a whole prefix of the run.
        var committed = RunJournal.ReadCommitted(runDir)!;
        Assert.Equal(checkpointEpoch, committed.Checkpoint.Epoch);
        Assert.Equal(Enumerable.Range(1, checkpointEpoch), committed.Epochs.Select(e => e.Epoch));
        Assert.Equal(Enumerable.Range(1, checkpointEpoch * StepsPerEpoch), committed.Steps.Select(s => s.Step));
        Assert.Empty(Directory.GetDirectories(runDir, ".*")); // recovery removed every half-swapped directory
        Assert.True(Directory.Exists(Path.Combine(runDir, "artefacts")));

        // The database as a kill leaves it: behind the folder (epoch rows missing), with a step row past the checkpoint and a doubled one.
        await using var db = await Database(runDir);
        var run = await db.Runs.SingleAsync();
        db.Steps.AddRange(new StepSampleEntity { RunId = run.Id, Step = 1, Epoch = 1, Loss = 9 }, new StepSampleEntity { RunId = run.Id, Step = 1, Epoch = 1, Loss = 9 },
            new StepSampleEntity { RunId = run.Id, Step = 8, Epoch = 3, Loss = 9 });
        db.Epochs.Add(new EpochMetricEntity { RunId = run.Id, Epoch = 3, Loss = 9, MetricsJson = "{}" });
        await db.SaveChangesAsync();
        var result = await RunHistoryReconciler.ReconcileAsync(db, run, new StepThinning(2000, 10));
        Assert.NotNull(result);
        Assert.Equal(Enumerable.Range(1, checkpointEpoch), await db.Epochs.Where(e => e.RunId == run.Id).OrderBy(e => e.Epoch).Select(e => e.Epoch).ToListAsync());
        Assert.Equal(Enumerable.Range(1, checkpointEpoch * StepsPerEpoch), await db.Steps.Where(s => s.RunId == run.Id).OrderBy(s => s.Step).Select(s => s.Step).ToListAsync());
        Assert.Equal(checkpointEpoch, (await db.Runs.AsNoTracking().SingleAsync()).EpochsCompleted);

        // Resume to the end: every epoch and step exactly once, in the folder and (reconciled again) in the database.
        var observer = new RecordingObserver();
        var resumed = new Trainer().Run(new TrainingRequest(config, runDir, reference.Data.Root, Resume: true), observer, CancellationToken.None);
        Assert.True(resumed.State == RunState.Completed, resumed.Error);
        Assert.Equal(Enumerable.Range(checkpointEpoch * StepsPerEpoch + 1, (Epochs - checkpointEpoch) * StepsPerEpoch), observer.Steps.Select(s => s.Step));
        var final = RunJournal.ReadCommitted(runDir)!;
        Assert.Equal(Enumerable.Range(1, Epochs), final.Epochs.Select(e => e.Epoch));
        Assert.Equal(Enumerable.Range(1, Epochs * StepsPerEpoch), final.Steps.Select(s => s.Step));
        var lines = File.ReadAllLines(Path.Combine(runDir, RunJournal.FileName));
        Assert.Equal(Epochs * (StepsPerEpoch + 1), lines.Length); // nothing doubled in the file either
        Assert.Equal(Enumerable.Range(1, Epochs).Select(e => (double)e), new RunDirectory(runDir).ReadMetrics().Select(m => m["epoch"]));
        await RunHistoryReconciler.ReconcileAsync(db, run, new StepThinning(2000, 10));
        Assert.Equal(Enumerable.Range(1, Epochs), await db.Epochs.Where(e => e.RunId == run.Id).OrderBy(e => e.Epoch).Select(e => e.Epoch).ToListAsync());

        // …and the same numbers as a run nobody killed (per-step reseeding makes resume exact).
        for (var i = 0; i < final.Steps.Count; i++)
            Assert.True(Math.Abs(final.Steps[i].Loss - reference.History.Steps[i].Loss) < 1e-4, $"step {i + 1}: {final.Steps[i].Loss} vs {reference.History.Steps[i].Loss}");
        Assert.Equal(reference.History.Epochs[^1].Metrics["recall@1"], final.Epochs[^1].Metrics["recall@1"], 4);
    }

    [Fact]
    public void ADirectorySwapKilledBetweenItsRenamesGetsItsPreviousCopyBack()
    {
        var target = Path.Combine(_root, "artefacts");
        RunDirectory.ReplaceDirectory(target, tmp => File.WriteAllText(Path.Combine(tmp, "a.txt"), "old"));
        FaultPoints.Install(p => { if (p == "artefacts moved aside") throw new SimulatedKillException(p); });
        try
        {
            Assert.Throws<SimulatedKillException>(() => RunDirectory.ReplaceDirectory(target, tmp => File.WriteAllText(Path.Combine(tmp, "a.txt"), "new")));
        }
        finally
        {
            FaultPoints.Install(null);
        }
        Assert.False(Directory.Exists(target));
        Assert.Equal(2, Directory.GetDirectories(_root, ".artefacts.*").Length); // the old copy aside, the new one not swapped in

        RunDirectory.RecoverReplace(target);
        Assert.Equal("old", File.ReadAllText(Path.Combine(target, "a.txt")));
        Assert.Empty(Directory.GetDirectories(_root, ".artefacts.*"));
    }

    [Fact]
    public void ARunCheckpointedBeforeTheJournalExistedResumesWithoutStartingAPartialOne()
    {
        var runDir = Path.Combine(_root, "legacy");
        var config = Config();
        Assert.Equal(RunState.Failed, RunWithKill(config, runDir, "step 5", 1).State);
        File.Delete(Path.Combine(runDir, RunJournal.FileName)); // as a folder written by an earlier version
        var resumed = new Trainer().Run(new TrainingRequest(config, runDir, reference.Data.Root, Resume: true), NullTrainingObserver.Instance, CancellationToken.None);
        Assert.True(resumed.State == RunState.Completed, resumed.Error);
        Assert.False(File.Exists(Path.Combine(runDir, RunJournal.FileName)));
        Assert.Null(RunJournal.ReadCommitted(runDir)); // so the database keeps the rows it has
    }

    [Fact]
    public void AFolderWithoutAJournalIsNotReconciled()
    {
        Directory.CreateDirectory(Path.Combine(_root, "other", "checkpoint"));
        Assert.Null(RunJournal.ReadCommitted(Path.Combine(_root, "other")));
    }

    private TrainingOutcome RunWithKill(TrainingConfig config, string runDir, string point, int occurrence)
    {
        var seen = 0;
        FaultPoints.Install(p =>
        {
            if (p == point && ++seen == occurrence) throw new SimulatedKillException(p);
        });
        try
        {
            return new Trainer().Run(new TrainingRequest(config, runDir, reference.Data.Root), NullTrainingObserver.Instance, CancellationToken.None);
        }
        finally
        {
            FaultPoints.Install(null);
        }
    }

    private async Task<ExperimentDbContext> Database(string runDir)
    {
        var options = new DbContextOptionsBuilder<ExperimentDbContext>().UseSqlite($"Data Source={Path.Combine(_root, "vptsp.db")}").Options;
        var db = new ExperimentDbContext(options);
        await db.ApplyMigrationsAsync();
        db.Runs.Add(new RunEntity { Name = "killed", Status = RunState.Interrupted, ConfigJson = "{}", CreatedAt = DateTimeOffset.UtcNow, RunDirectory = runDir });
        await db.SaveChangesAsync();
        return db;
    }

    internal static TrainingConfig Config() => SyntheticDataset.TinyConfig("vpt").WithOverrides(new Dictionary<string, string> { ["n_epochs"] = "3", ["lr_cosine_length"] = "3" });

    private sealed class SimulatedKillException(string point) : Exception($"simulated kill at '{point}'");

    /// <summary>The dataset and an uninterrupted run's record.</summary>
    public sealed class Reference : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("vptsp-crash-ref-").FullName;

        public Reference()
        {
            var outcome = new Trainer().Run(new TrainingRequest(Config(), _dir, Data.Root), NullTrainingObserver.Instance, CancellationToken.None);
            Assert.True(outcome.State == RunState.Completed, outcome.Error);
            History = RunJournal.ReadCommitted(_dir)!;
        }

        public SyntheticDataset Data { get; } = new();
        public CommittedHistory History { get; }

        public void Dispose()
        {
            Data.Dispose();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }
    }
}
