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
        Snapshot at100 = default, at1000 = default;
        var observer = new RecordingObserver
        {
            OnEachStep = s =>
            {
                if (s.Step == 100) at100 = Snapshot.Take();
                else if (s.Step == 1000) at1000 = Snapshot.Take();
            },
        };
        var outcome = TrainingThread.Run(() => new Trainer().Run(new TrainingRequest(config, Path.Combine(_runs, "r"), _data.Root), observer, CancellationToken.None));
        Assert.True(outcome.State == RunState.Completed, outcome.Error);
        Assert.Equal(1000, observer.Steps.Count);
        // Tensors made on the training thread and never disposed (left to a finalizer) stay counted as live here.
        Assert.True(at1000.LiveTensors - at100.LiveTensors <= 0, $"live tensors grew from {at100.LiveTensors} to {at1000.LiveTensors} over 900 steps");
        // Native memory = resident set minus what the managed heap has committed: libtorch's tensors, Scalars and caches.
        // Leaking one step's graph is ≈ 1 MB (TORCHSHARP-NOTES): 900 leaked steps would add hundreds of MB.
        var nativeGrowthMb = (at1000.NativeBytes - at100.NativeBytes) / 1048576.0;
        var rssGrowthMb = (at1000.RssBytes - at100.RssBytes) / 1048576.0;
        Assert.True(nativeGrowthMb < 32, $"native memory (RSS − managed heap) grew by {nativeGrowthMb:F0} MB over 900 steps " +
                                         $"({at100.NativeBytes / 1048576.0:F0} → {at1000.NativeBytes / 1048576.0:F0} MB)");
        Assert.True(rssGrowthMb < 64, $"process memory grew by {rssGrowthMb:F0} MB over 900 steps");
    }

    /// <summary>Memory after a full collection and the finalizers it queued.</summary>
    private readonly record struct Snapshot(long LiveTensors, long RssBytes, long NativeBytes)
    {
        public static Snapshot Take()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using var self = Process.GetCurrentProcess();
            var rss = self.WorkingSet64;
            var managed = GC.GetGCMemoryInfo().TotalCommittedBytes;
            return new Snapshot(DisposeScopeManager.Statistics.ThreadTotalLiveCount, rss, rss - managed);
        }
    }
}
