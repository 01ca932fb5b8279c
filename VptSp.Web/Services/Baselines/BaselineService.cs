using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using VptSp.Core.Data;
using VptSp.Core.Evaluation.Baselines;
using VptSp.Runs;
using VptSp.Runs.Options;

namespace VptSp.Web.Services.Baselines;

/// <summary>
/// The baselines beside a run's R@1: chance and raw-pixel k-NN on the split the run was evaluated on, computed once per
/// dataset, split and content (<see cref="DatasetBaselines"/>, cached under &lt;data&gt;/baselines/) on the thread pool,
/// one computation per dataset at a time however many pages ask.
/// </summary>
public sealed class BaselineService(IRunService runs, IOptions<StorageOptions> storage)
{
    /// <summary>How long a finished computation is reused before the split's fingerprint is checked again.</summary>
    private static readonly TimeSpan Reuse = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (Lazy<Task<BaselineReport>> Work, DateTime At)> _reports = new();

    public string CacheDirectory => Path.Combine(storage.Value.DataDirectory, "baselines");

    /// <summary>The run's best R@1 beside its dataset's baselines (<see cref="RunNotFoundException"/> for an unknown run).</summary>
    public async Task<RunBaselines> ForRunAsync(long runId, CancellationToken ct = default)
    {
        var run = await runs.GetAsync(runId, ct);
        var dataset = run.Config.Dataset;
        var source = run.SourcePath is { Length: > 0 } s ? s
            : dataset == "emoji" ? storage.Value.DemoRoot
            : throw new VptSp.Core.Diagnostics.UserFacingException($"run {runId} recorded no source path, so its dataset '{dataset}' cannot be opened for baselines");
        var report = await ForDatasetAsync(source, dataset, ct);
        return new RunBaselines(runId, run.Summary.BestRecallAt1, report, dataset == "emoji");
    }

    /// <summary>The baselines of <paramref name="dataset"/> under <paramref name="source"/> (cached; computed at most once at a time).</summary>
    public Task<BaselineReport> ForDatasetAsync(string source, string dataset, CancellationToken ct = default)
    {
        var key = Path.GetFullPath(source) + "|" + dataset;
        var now = DateTime.UtcNow;
        var entry = _reports.AddOrUpdate(key,
            _ => (Start(source, dataset), now),
            (_, old) => Stale(old.Work, old.At, now) ? (Start(source, dataset), now) : old);
        return entry.Work.Value.WaitAsync(ct); // only the stored Lazy ever runs: a losing factory's Lazy is never started
    }

    private static bool Stale(Lazy<Task<BaselineReport>> work, DateTime at, DateTime now) =>
        work.IsValueCreated && work.Value is { IsCompleted: true } t && (!t.IsCompletedSuccessfully || now - at > Reuse);

    private Lazy<Task<BaselineReport>> Start(string source, string dataset) =>
        new(() => Task.Run(() => DatasetBaselines.GetOrCompute(DatasetCatalog.Default.Open(source, dataset), CacheDirectory)));
}
