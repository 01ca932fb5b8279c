using VptSp.Core.Training;
using VptSp.Tests.Support;

namespace VptSp.Tests.Core.Training;

/// <summary>The run's log shows progress during an epoch, not only when it ends.</summary>
public sealed class TrainerLogTests : IDisposable
{
    private readonly SyntheticDataset _data = new();
    private readonly string _run = Path.Combine(Path.GetTempPath(), "vptsp-log-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        _data.Dispose();
        try { Directory.Delete(_run, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void LogGetsAProgressLineEveryTenStepsOfAnEpoch()
    {
        // 4 train classes × 6 images = 24 images in batches of 2 → 12 steps in the one epoch: a line at step 10 only.
        var config = SyntheticDataset.TinyConfig("vpt").WithOverrides(new Dictionary<string, string>
        {
            ["batch_size"] = "2", ["n_epochs"] = "1", ["lr_cosine_length"] = "1",
        });
        var observer = new RecordingObserver();

        var outcome = new Trainer().Run(new TrainingRequest(config, _run, _data.Root), observer, CancellationToken.None);

        Assert.True(outcome.State == RunState.Completed, outcome.Error);
        Assert.Equal(12, observer.Steps.Count);
        var lines = File.ReadAllLines(new RunDirectory(_run).LogFile);
        var progress = lines.Where(l => l.Contains(" of the epoch")).ToList();
        var line = Assert.Single(progress);
        Assert.Contains("epoch 1/1 · step 10/12 of the epoch · loss ", line);
        Assert.EndsWith(ProgressText.Line(observer.Steps[9], 1), line); // the log writes the step the observers heard
        Assert.Contains(" img/s · ETA 0:", line);
        // the ETA averages the execution's steps: the first ones carry the warm-up
        Assert.Equal([false, false, true], observer.Steps.Take(3).Select(s => s.EtaReady));
    }
}
