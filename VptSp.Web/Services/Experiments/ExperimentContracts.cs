using VptSp.Core.Training;

using VptSp.Runs;

namespace VptSp.Web.Services.Experiments;

/// <summary>A run as the experiment views see it: summary, config, sweep membership, best-epoch metrics, throughput and memory.</summary>
public sealed record ExperimentRun(
    RunSummary Summary,
    TrainingConfig Config,
    long? SweepId,
    string? GroupKey,
    IReadOnlyDictionary<string, double> BestMetrics,
    double? ImagesPerSecond,
    long? PeakMemoryBytes)
{
    public long Id => Summary.Id;
    public bool Counts => Summary.Status == RunState.Completed && BestMetrics.Count > 0;
}

/// <summary>A set of runs shown as one row: the aggregate covers its completed runs (<see cref="MetricStat.N"/> of them).</summary>
public sealed record RunGroup(string Key, string Label, IReadOnlyList<ExperimentRun> Runs)
{
    public IReadOnlyList<ExperimentRun> Counted => Runs.Where(r => r.Counts).ToList();

    public IReadOnlyList<string> MetricKeys => ExperimentMetrics.Order(Runs.SelectMany(r => r.BestMetrics.Keys));

    public MetricStat? Stat(string metric) => MetricStat.Of(Counted.Where(r => r.BestMetrics.ContainsKey(metric)).Select(r => r.BestMetrics[metric]));
}

public sealed record SweepSummary(long Id, string Name, string Mode, IReadOnlyList<string> Keys, string Status, int Runs,
    IReadOnlyDictionary<string, int> RunsByStatus, DateTimeOffset CreatedAt, DateTimeOffset? CancelledAt);

public sealed record SweepDetail(SweepSummary Summary, string SpecJson, IReadOnlyList<ExperimentRun> Runs);

public sealed record SweepCreated(long Id, IReadOnlyList<long> RunIds);

/// <summary>A sweep to queue: the base config (preset or YAML) with fixed overrides, and what to vary.</summary>
public sealed record SweepRequest(
    string? Name,
    string Config,
    IReadOnlyDictionary<string, string>? Overrides,
    string? SourcePath,
    IReadOnlyList<string>? Tags,
    SweepDefinition Definition);

/// <summary>Sweeps (create, list, cancel) and the run data the group, compare, results and map views are built from.</summary>
public interface IExperimentService
{
    Task<SweepCreated> CreateSweepAsync(SweepRequest request, CancellationToken ct = default);
    Task<IReadOnlyList<SweepSummary>> ListSweepsAsync(CancellationToken ct = default);
    Task<SweepDetail> GetSweepAsync(long id, CancellationToken ct = default);
    /// <summary>Cancels every queued or running run of the sweep; returns how many were asked to stop.</summary>
    Task<int> CancelSweepAsync(long id, CancellationToken ct = default);
    /// <summary>Runs with their best-epoch metrics; <paramref name="ids"/> null = every (non-archived unless asked) run.</summary>
    Task<IReadOnlyList<ExperimentRun>> ListRunsAsync(IReadOnlyCollection<long>? ids = null, bool includeArchived = false, CancellationToken ct = default);
}
