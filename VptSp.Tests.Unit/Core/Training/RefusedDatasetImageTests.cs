using VptSp.Core.Training;
using VptSp.Tests.Support;

namespace VptSp.Tests.Core.Training;

/// <summary>An extreme-shaped image inside a dataset is skipped and counted in the run log; the run trains on.</summary>
public sealed class RefusedDatasetImageTests : IDisposable
{
    private readonly SyntheticDataset _data = new();
    private readonly string _runs = Directory.CreateTempSubdirectory("vptsp-refused-").FullName;

    public void Dispose()
    {
        _data.Dispose();
        try { Directory.Delete(_runs, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void ExtremeAspectImagesInATrainingClassAreSkippedWithACountInTheRunLog()
    {
        File.WriteAllBytes(Path.Combine(_data.Root, "class_00", "strip_tall.png"), HostileImages.Png(1, 200_000));
        File.WriteAllBytes(Path.Combine(_data.Root, "class_01", "strip_wide.png"), HostileImages.Png(200_000, 1));
        var config = SyntheticDataset.TinyConfig("vpt").WithOverrides(new Dictionary<string, string> { ["n_epochs"] = "1", ["lr_cosine_length"] = "1" });
        var observer = new RecordingObserver();
        var outcome = new Trainer().Run(new TrainingRequest(config, Path.Combine(_runs, "run"), _data.Root), observer, CancellationToken.None);

        Assert.True(outcome.State == RunState.Completed, outcome.Error);
        var log = File.ReadAllText(Path.Combine(_runs, "run", RunDirectory.LogFileName));
        Assert.Contains("skipped 2 unreadable or missing image(s)", log);
        Assert.Contains("1x200000 has an aspect ratio of 200000:1, beyond the 32:1 limit", log);
        Assert.Contains("200000x1 has an aspect ratio", log);
        Assert.Equal(3, observer.Steps.Count); // the 24 readable training images, batches of 8
    }
}
