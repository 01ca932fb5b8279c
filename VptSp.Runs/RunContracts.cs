using VptSp.Core.Diagnostics;
using VptSp.Core.Training;

namespace VptSp.Runs;

// The contract between the run platform (queue, worker, history) and the pages/APIs that show it.
// Run states are VptSp.Core.Training.RunState; what each allows is RunStates (served as lower-case names).

public sealed record RunFilter(
    RunState? Status = null,
    string? Dataset = null,
    string? Method = null,
    string? Text = null,
    bool IncludeArchived = false);

/// <summary>A page of runs, the filter's total count and the cursor of the next page (null on the last page).</summary>
public sealed record RunListPage(IReadOnlyList<RunSummary> Runs, int Total, long? NextBeforeId)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>The next page starts below the page's last id, if more runs than the page holds were left.</summary>
    public static long? NextCursor(IReadOnlyList<RunSummary> page, int remaining, int limit) =>
        page.Count == limit && remaining > limit ? page[^1].Id : null;
}

public sealed record RunSummary(
    long Id,
    string Name,
    RunState Status,
    string Dataset,
    string Method,
    string Backbone,
    string Preset,
    long TotalParameters,
    long TrainableParameters,
    double? BestRecallAt1,
    double? BestMapAtR,
    int? BestEpoch,
    int EpochsCompleted,
    int EpochsPlanned,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<string> Tags,
    string? Notes,
    bool Archived,
    string? Error,
    string? Worker = null)
{
    public double TrainablePercent => TotalParameters == 0 ? 0 : 100.0 * TrainableParameters / TotalParameters;
    public TimeSpan? Duration => StartedAt is null ? null : (FinishedAt ?? DateTimeOffset.UtcNow) - StartedAt.Value;
}

/// <summary>The reproducibility record of a run.</summary>
public sealed record RunReproducibility(
    string VptSpVersion,
    string? GitCommit,
    string TorchSharpVersion,
    string Device,
    int Seed,
    string DatasetFingerprint,
    string? BackboneCheckpointSha256);

public sealed record RunDetail(
    RunSummary Summary,
    TrainingConfig Config,
    string ConfigYaml,
    string? SourcePath,
    string RunDirectory,
    RunReproducibility? Reproducibility,
    IReadOnlyList<string> LogTail,
    IReadOnlyList<string> Artefacts,
    bool HasCheckpoint = false,
    string? BackboneProvenance = null)
{
    /// <summary>What the API allows for this run now; the run page offers exactly these.</summary>
    public RunActions Actions => RunActions.For(Summary.Status, HasCheckpoint);
}

/// <summary>The actions a run allows, from <see cref="RunStates"/> (the one definition of what each state permits).</summary>
public sealed record RunActions(bool Cancel, bool Resume, bool Delete, bool Search)
{
    public static RunActions For(RunState state, bool hasCheckpoint) => new(
        RunStates.CanCancel(state), RunStates.CanResume(state, hasCheckpoint), RunStates.CanDelete(state), RunStates.CanSearch(state));
}

/// <summary>A stored (thinned) step row; stored from a <see cref="StepProgress"/> by <see cref="Data.Entities.StepSampleEntity.From"/>.</summary>
public sealed record StepSample(int Step, int Epoch, double Loss, double Lr, double ImagesPerSecond)
{
    /// <summary>The row as progress: no totals and no ETA are stored.</summary>
    public StepProgress ToProgress() => new(Epoch, Step, 0, 0, Loss, Lr, ImagesPerSecond, TimeSpan.Zero, EtaReady: false);
}

public sealed record EpochSample(int Epoch, double Loss, IReadOnlyDictionary<string, double> Metrics, double DurationSeconds);

public sealed record RunMetrics(IReadOnlyList<StepSample> Steps, IReadOnlyList<EpochSample> Epochs);

/// <summary>
/// A request to queue a run: a preset name or YAML text, key=value overrides, an optional data root and name; the device it
/// needs (<see cref="Runs.RunDevices"/>: auto, cpu or cuda) and whether a lost worker's run is re-queued (default: on with
/// PostgreSQL, where workers are separate processes; off with SQLite).
/// </summary>
public sealed record RunSubmission(
    string Config,
    IReadOnlyDictionary<string, string>? Overrides = null,
    string? SourcePath = null,
    string? Name = null,
    IReadOnlyList<string>? Tags = null,
    string? Device = null,
    bool? AutoResume = null);

public sealed record SubmitResult(long Id, RunState Status, int Position);

/// <summary>Live events of runs, throttled to a few per second per run.</summary>
public abstract record RunEvent(long RunId);
/// <summary>One training step of a run, as the engine reported it.</summary>
public sealed record StepProgressEvent(long RunId, StepProgress Progress) : RunEvent(RunId);
public sealed record EpochCompletedEvent(long RunId, int Epoch, IReadOnlyDictionary<string, double> Metrics) : RunEvent(RunId);
public sealed record RunStateChangedEvent(long RunId, RunState Status, string? Error) : RunEvent(RunId);

/// <summary>Reads and changes the experiment history and the queue. All methods validate input; unknown ids → <see cref="RunNotFoundException"/>.</summary>
public interface IRunService
{
    Task<IReadOnlyList<RunSummary>> ListAsync(RunFilter filter, CancellationToken ct = default);

    /// <summary>
    /// One page of the filtered runs, newest first: at most <paramref name="limit"/> runs with ids below <paramref name="beforeId"/>
    /// (null: from the newest). This default pages <see cref="ListAsync"/> in memory; the store's service pages in the database.
    /// </summary>
    async Task<RunListPage> ListPageAsync(RunFilter filter, int limit, long? beforeId, CancellationToken ct = default)
    {
        var all = await ListAsync(filter, ct);
        var page = all.Where(r => beforeId is null || r.Id < beforeId).Take(limit).ToList();
        return new RunListPage(page, all.Count, RunListPage.NextCursor(page, all.Count(r => beforeId is null || r.Id < beforeId), limit));
    }

    Task<RunDetail> GetAsync(long id, CancellationToken ct = default);
    Task<RunMetrics> GetMetricsAsync(long id, CancellationToken ct = default);
    /// <summary>The run's stored system samples (CPU, memory, GPU), oldest first.</summary>
    Task<IReadOnlyList<SystemMetrics.SystemSample>> GetSystemSamplesAsync(long id, CancellationToken ct = default);
    /// <summary>Validates the config (throws <see cref="ConfigException"/> / <see cref="ArgumentException"/> naming the problem) and queues the run.</summary>
    Task<SubmitResult> SubmitAsync(RunSubmission submission, CancellationToken ct = default);
    Task CancelAsync(long id, CancellationToken ct = default);
    Task<SubmitResult> ResumeAsync(long id, CancellationToken ct = default);
    Task DeleteAsync(long id, CancellationToken ct = default);
    Task SetArchivedAsync(long id, bool archived, CancellationToken ct = default);
    Task SetTagsAsync(long id, IReadOnlyList<string> tags, CancellationToken ct = default);
    Task SetNotesAsync(long id, string? notes, CancellationToken ct = default);
    /// <summary>Preset names available for launching.</summary>
    IReadOnlyList<string> Presets { get; }
}

/// <summary>Live progress for pages and the SignalR hub. Subscribers are called off the training thread.</summary>
public interface IRunEvents
{
    /// <summary>Subscribe to every run's events (<paramref name="runId"/> null) or one run's. Dispose to unsubscribe.</summary>
    IDisposable Subscribe(long? runId, Action<RunEvent> handler);
}

public sealed class RunNotFoundException(long id) : UserFacingException($"run {id} does not exist")
{
    public long Id { get; } = id;
}

/// <summary>An operation that the run's current status does not allow (e.g. resuming a completed run).</summary>
public sealed class RunStateConflictException(string message) : UserFacingException(message);
