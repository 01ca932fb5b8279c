using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using VptSp.Core.Data;
using VptSp.Core.Evaluation.Baselines;
using VptSp.Core.Diagnostics;
using VptSp.Core.Training;
using VptSp.Runs;
using VptSp.Runs.Options;

namespace VptSp.Web.Services.Baselines;

/// <summary>
/// The baselines beside a run's R@1: chance, raw-pixel k-NN and the run's backbone zero-shot on the split the run was evaluated on, computed once per
/// dataset, split and content (<see cref="DatasetBaselines"/>, cached under &lt;data&gt;/baselines/) on the thread pool,
/// one computation per dataset at a time however many pages ask.
/// </summary>
public sealed class BaselineService(IRunService runs, IOptions<StorageOptions> storage)
{
    /// <summary>How long a finished computation is reused before the split's fingerprint is checked again.</summary>
    private static readonly TimeSpan Reuse = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (Lazy<Task<BaselineReport>> Work, DateTime At)> _reports = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<ZeroShotReport>>> _zeroShot = new();

    public string CacheDirectory => Path.Combine(storage.Value.DataDirectory, "baselines");

    /// <summary>The run's best R@1 beside its dataset's baselines and its backbone's zero-shot score (<see cref="RunNotFoundException"/> for an unknown run).</summary>
    public async Task<RunBaselines> ForRunAsync(long runId, CancellationToken ct = default)
    {
        var run = await runs.GetAsync(runId, ct);
        var dataset = run.Config.Dataset;
        var source = run.SourcePath is { Length: > 0 } s ? s
            : dataset == "emoji" ? storage.Value.DemoRoot
            : throw new UserFacingException($"run {runId} recorded no source path, so its dataset '{dataset}' cannot be opened for baselines");
        var report = await ForDatasetAsync(source, dataset, ct);
        var (zeroShot, note) = await ZeroShotAsync(run.Config, source, ct);
        return new RunBaselines(runId, run.Summary.BestRecallAt1, report, dataset == "emoji", zeroShot, note);
    }

    /// <summary>
    /// The zero-shot score of the backbone the run started from (cached; computed at most once at a time), or why there is
    /// none: a random-init backbone (nothing to compare with) or weights that are no longer there.
    /// </summary>
    private async Task<(ZeroShotReport? Report, string? Note)> ZeroShotAsync(TrainingConfig config, string source, CancellationToken ct)
    {
        string? checkpoint;
        try
        {
            checkpoint = ModelFactory.ResolveBackbone(config, storage.Value.DataDirectory);
        }
        catch (ConfigException ex)
        {
            return (null, $"zero-shot unavailable: {UserErrors.OneLine(ex)}");
        }
        if (checkpoint is null) return (null, "zero-shot not computed: the backbone started from random weights");
        var key = $"{Path.GetFullPath(source)}|{config.Dataset}|{config.PretrainedModel}|{checkpoint}";
        Lazy<Task<ZeroShotReport>> Start() =>
            Lazy(() => ZeroShotBaseline.GetOrCompute(DatasetCatalog.Default.Open(source, config.Dataset), config.PretrainedModel, checkpoint, CacheDirectory));
        // a failed computation is tried again by the next page that asks; a finished one is read from the JSON cache
        var work = _zeroShot.AddOrUpdate(key, _ => Start(), (_, old) => old.IsValueCreated && old.Value.IsFaulted ? Start() : old);
        try
        {
            return (await work.Value.WaitAsync(ct), null);
        }
        catch (Exception ex) when (UserErrors.IsForUsers(ex))
        {
            return (null, $"zero-shot unavailable: {UserErrors.OneLine(ex)}"); // the other baselines are still shown
        }
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
        Lazy(() => DatasetBaselines.GetOrCompute(DatasetCatalog.Default.Open(source, dataset), CacheDirectory));

    private static Lazy<Task<T>> Lazy<T>(Func<T> work) => new(() => Task.Run(work));
}
