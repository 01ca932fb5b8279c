using VptSp.Core.Training;
using VptSp.Runs;
using VptSp.Web.Services.Experiments;

namespace VptSp.Tests.Web.Experiments;

/// <summary>Hand-made <see cref="ExperimentRun"/>s for grouping, results and view tests.</summary>
public static class ExperimentFixtures
{
    public static ExperimentRun Run(long id, double? r1, double? mapR = null, RunState status = RunState.Completed, long? sweep = null, string? groupKey = null,
        IReadOnlyList<string>? tags = null, double lr = 0.001, int seed = 0, double? r2 = null, double? mapRef = null,
        double? imagesPerSecond = null, long? peakBytes = null, long trainable = 25, long total = 1000, string name = "run")
    {
        var metrics = new Dictionary<string, double>();
        if (r1 is { } a) metrics["recall@1"] = a;
        if (r2 is { } b) metrics["recall@2"] = b;
        if (mapR is { } m) metrics["map@r"] = m;
        if (mapRef is { } mr) metrics["map@r_ref"] = mr;
        var summary = new RunSummary(id, name, status, "emoji", "vptsp_g", "vit_tiny", "emoji_vptsp_g", total, trainable,
            r1, mapR, metrics.Count > 0 ? 1 : null, 1, 1, DateTimeOffset.UnixEpoch.AddMinutes(id), null, null, tags ?? [], null, false, null);
        var config = new TrainingConfig { Lr = lr, Seed = seed, Dataset = "emoji" };
        return new ExperimentRun(summary, config, sweep, groupKey, metrics, imagesPerSecond, peakBytes);
    }
}
