using System.Diagnostics;
using TorchSharp;
using VptSp.Core.Training;
using VptSp.Tests.Support;

namespace VptSp.Tests.Core.Training;

/// <summary>Alone in the process: process memory is shared by every test running at the same time.</summary>
[CollectionDefinition(nameof(TrainerMemoryTests), DisableParallelization = true)]
public sealed class TrainerMemoryCollection;

[Collection(nameof(TrainerMemoryTests))]
public sealed class TrainerMemoryTests : IDisposable
{
    private readonly SyntheticDataset _data = new(classes: 4, imagesPerClass: 100, size: 32);
    private readonly string _runs = Directory.CreateTempSubdirectory("vptsp-memory-").FullName;

    public void Dispose()
    {
        _data.Dispose();
        Directory.Delete(_runs, recursive: true);
    }

    [Fact]
    public void AThousandTrainingStepsKeepLiveTensorsAndNativeMemoryFlat()
    {
        // 2 train classes × 100 images, batches of 8 → 25 steps per epoch; 40 epochs (a checkpoint each), evaluated at the end.
        var config = SyntheticDataset.TinyConfig("vptsp_g").WithOverrides(new Dictionary<string, string>
        {
            ["n_epochs"] = "40", ["eval_start"] = "100000", ["lr_cosine_length"] = "40", ["image_cache_mb"] = "16",
        });
        long liveAt100 = 0, liveAt1000 = 0, rssAt100 = 0, rssAt1000 = 0;
        var observer = new RecordingObserver
        {
            OnEachStep = s =>
            {
                if (s.Step != 100 && s.Step != 1000) return;
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
                var rss = Process.GetCurrentProcess().WorkingSet64;
                if (s.Step == 100) (liveAt100, rssAt100) = (live, rss);
                else (liveAt1000, rssAt1000) = (live, rss);
            },
        };
        var outcome = TrainingThread.Run(() => new Trainer().Run(new TrainingRequest(config, Path.Combine(_runs, "r"), _data.Root), observer, CancellationToken.None));
        Assert.True(outcome.State == RunState.Completed, outcome.Error);
        Assert.Equal(1000, observer.Steps.Count);
        Assert.True(liveAt1000 - liveAt100 <= 0, $"live tensors grew from {liveAt100} to {liveAt1000} over 900 steps");
        // Leaking one step's graph is ≈ 1 MB (TORCHSHARP-NOTES): 900 leaked steps would add hundreds of MB.
        var growthMb = (rssAt1000 - rssAt100) / 1048576.0;
        Assert.True(growthMb < 64, $"process memory grew by {growthMb:F0} MB over 900 steps");
    }
}
