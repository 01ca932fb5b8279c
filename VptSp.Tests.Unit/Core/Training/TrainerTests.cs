using VptSp.Core.Training;
using VptSp.Tests.Support;

namespace VptSp.Tests.Core.Training;

public sealed class TrainerTests : IDisposable
{
    private readonly SyntheticDataset _data = new();
    private readonly string _runs = Path.Combine(Path.GetTempPath(), "vptsp-runs-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        _data.Dispose();
        try { Directory.Delete(_runs, recursive: true); } catch (IOException) { }
    }

    private TrainingRequest Request(TrainingConfig config, string name, bool resume = false) =>
        new(config, Path.Combine(_runs, name), _data.Root, Resume: resume);

    [Fact]
    public void TinyVptspGRunTrainsEndToEndAndBeatsChance()
    {
        var observer = new RecordingObserver();
        var outcome = new Trainer().Run(Request(SyntheticDataset.TinyConfig(), "tiny"), observer, CancellationToken.None);

        Assert.True(outcome.State == RunState.Completed, outcome.Error);
        Assert.Equal(new[] { RunState.Running, RunState.Completed }, observer.States);
        Assert.NotNull(observer.Facts);
        Assert.Equal("vptsp_g", observer.Facts!.Method);
        Assert.True(observer.Facts.TrainableParameters < observer.Facts.TotalParameters);
        // 4 train classes × 6 images = 24 → 3 batches of 8 per epoch, 2 epochs
        Assert.Equal(6, observer.Steps.Count);
        Assert.Equal(Enumerable.Range(1, 6), observer.Steps.Select(s => s.Step));
        Assert.All(observer.Steps, s => Assert.True(double.IsFinite(s.Loss) && s.Loss > 0));
        Assert.Equal(2, observer.Epochs.Count);
        // test: 4 unseen classes × 6 images; a random neighbour is of the query's class with p = 5/23 ≈ 0.22
        var recall = observer.Epochs[^1].Metrics["recall@1"];
        Assert.True(recall > 0.5, $"recall@1 {recall} does not clearly beat chance 0.22");

        var dir = new RunDirectory(Path.Combine(_runs, "tiny"));
        Assert.True(File.Exists(dir.ConfigFile));
        Assert.Equal(2, dir.ReadMetrics().Count);
        Assert.True(dir.ReadMetrics()[0].ContainsKey("map@r"));
        Assert.True(File.Exists(Path.Combine(dir.ArtefactsDir, "manifest.json")));
        Assert.True(dir.HasCheckpoint);
        Assert.Equal(2, CheckpointState.Load(dir.CheckpointStateFile).Epoch);
    }

    [Fact]
    public void TrainMetricsAreAddedWhenAskedAndStorageMetricMapRPicksTheBestEpochByTheReferenceVariant()
    {
        var observer = new RecordingObserver();
        var config = SyntheticDataset.TinyConfig("vpt") with { NoTrainMetrics = false, StorageMetrics = ["mAP_R"] };
        var outcome = new Trainer().Run(Request(config, "train-metrics"), observer, CancellationToken.None);
        Assert.True(outcome.State == RunState.Completed, outcome.Error);
        Assert.Equal(2, observer.Epochs.Count);
        foreach (var e in observer.Epochs)
        {
            Assert.InRange(e.Metrics[TrainSplitMetrics.Recall1], 0, 1);
            Assert.InRange(e.Metrics[TrainSplitMetrics.MapRRef], 0, 1);
        }
        var (first, second) = (observer.Epochs[0].Metrics["map@r_ref"], observer.Epochs[1].Metrics["map@r_ref"]);
        Assert.True(observer.Epochs[0].IsBest);
        Assert.Equal(second > first, observer.Epochs[1].IsBest);
        Assert.Equal(Math.Max(first, second), outcome.BestMetrics!["map@r_ref"], 12);

        var quiet = new RecordingObserver();
        new Trainer().Run(Request(SyntheticDataset.TinyConfig("vpt") with { NoTrainMetrics = true }, "no-train-metrics"), quiet, CancellationToken.None);
        Assert.DoesNotContain(TrainSplitMetrics.Recall1, quiet.Epochs[0].Metrics.Keys);
    }

    [Theory]
    [InlineData("vpt")]
    [InlineData("vptsp_g")]
    [InlineData("vptsp_g_bank")]
    public void ResumeAfterEpochOneEqualsAnUninterruptedRun(string method)
    {
        var config = SyntheticDataset.TinyConfig(method);
        var full = new RecordingObserver();
        Assert.Equal(RunState.Completed, new Trainer().Run(Request(config, "full-" + method), full, CancellationToken.None).State);

        // Cancel as soon as the first epoch's last step (3 of 3) is reported: the run stops before step 4.
        using var cts = new CancellationTokenSource();
        var first = new RecordingObserver { OnEachStep = s => { if (s.Step == 3) cts.Cancel(); } };
        var cancelled = new Trainer().Run(Request(config, "split-" + method), first, cts.Token);
        Assert.Equal(RunState.Cancelled, cancelled.State);
        Assert.Equal(3, first.Steps.Count);

        var second = new RecordingObserver();
        var resumed = new Trainer().Run(Request(config, "split-" + method, resume: true), second, CancellationToken.None);
        Assert.True(resumed.State == RunState.Completed, resumed.Error);
        Assert.Equal(new[] { 4, 5, 6 }, second.Steps.Select(s => s.Step));

        var losses = first.Steps.Concat(second.Steps).Select(s => s.Loss).ToArray();
        var expected = full.Steps.Select(s => s.Loss).ToArray();
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - losses[i]) < 1e-4, $"step {i + 1}: {losses[i]} vs uninterrupted {expected[i]}");
        Assert.Equal(full.Epochs[^1].Metrics["recall@1"], second.Epochs[^1].Metrics["recall@1"], 4);
    }

    [Fact]
    public void AMissingDatasetFailsTheRunWithAClearMessage()
    {
        var config = SyntheticDataset.TinyConfig() with { Dataset = "cub200" };
        var observer = new RecordingObserver();
        var outcome = new Trainer().Run(Request(config, "bad"), observer, CancellationToken.None);
        Assert.Equal(RunState.Failed, outcome.State);
        Assert.Contains("cub200", outcome.Error);
        Assert.Equal(RunState.Failed, observer.States[^1]);
    }

    [Fact]
    public void ResumingARunWithoutCheckpointFails()
    {
        var outcome = new Trainer().Run(Request(SyntheticDataset.TinyConfig(), "none", resume: true), new RecordingObserver(), CancellationToken.None);
        Assert.Equal(RunState.Failed, outcome.State);
        Assert.Contains("nothing to resume", outcome.Error);
    }
}
