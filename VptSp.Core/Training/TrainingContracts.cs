namespace VptSp.Core.Training;

/// <summary>
/// Lifecycle of one training run, as hosts (CLI, web worker, pages, API) see it — the only definition of run states.
/// Stored and served as the lower-case name (<see cref="RunStates.Name"/>); which actions each state allows is in
/// <see cref="RunStates"/>.
/// </summary>
public enum RunState
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
    Interrupted,
}

/// <summary>One finished epoch: mean training loss and, when evaluated, every metric (keys as in metrics.jsonl: "recall@1", "map@r", …).</summary>
public sealed record EpochReport(
    int Epoch,
    double Loss,
    IReadOnlyDictionary<string, double> Metrics,
    TimeSpan Duration,
    bool IsBest);

/// <summary>Receives a run's progress. Called on the training thread: implementations must be cheap and never block.</summary>
public interface ITrainingObserver
{
    void OnStarted(RunFacts facts);
    void OnStateChanged(RunState state, string? message);
    void OnStep(StepProgress progress);
    void OnEpoch(EpochReport report);
    /// <summary>A log line; the engine has already appended it to the run's <see cref="RunDirectory.LogFileName"/>.</summary>
    void OnLog(string line);
}

/// <summary>An observer that ignores everything.</summary>
public sealed class NullTrainingObserver : ITrainingObserver
{
    public static readonly NullTrainingObserver Instance = new();
    public void OnStarted(RunFacts facts) { }
    public void OnStateChanged(RunState state, string? message) { }
    public void OnStep(StepProgress progress) { }
    public void OnEpoch(EpochReport report) { }
    public void OnLog(string line) { }
}

/// <summary>Facts about a run known once it has started: parameter counts and the reproducibility record.</summary>
public sealed record RunFacts(
    string Method,
    string Backbone,
    long TotalParameters,
    long TrainableParameters,
    int TrainClasses,
    int TrainImages,
    int TestImages,
    string Device,
    int Seed,
    string VptSpVersion,
    string TorchSharpVersion,
    string DatasetFingerprint,
    string? BackboneCheckpointSha256)
{
    public double TrainablePercent => TotalParameters == 0 ? 0 : 100.0 * TrainableParameters / TotalParameters;
}

/// <summary>What a host asks the engine to do. <see cref="RunDirectory"/> receives config.yaml, metrics.jsonl, artefacts and checkpoints.</summary>
public sealed record TrainingRequest(
    TrainingConfig Config,
    string RunDirectory,
    string? SourcePath,
    string? Device = null,
    bool Resume = false,
    string? DataDirectory = null);

/// <summary>How a run ended.</summary>
public sealed record TrainingOutcome(
    RunState State,
    int EpochsCompleted,
    int? BestEpoch,
    IReadOnlyDictionary<string, double>? BestMetrics,
    string? Error);

/// <summary>Trains one run synchronously on the calling thread (hosts give it a dedicated thread).</summary>
public interface ITrainingEngine
{
    /// <summary>
    /// Runs to completion, cancellation (checked between steps; a checkpoint is saved and the outcome is
    /// <see cref="RunState.Cancelled"/>) or failure (the outcome is <see cref="RunState.Failed"/> with the error text;
    /// nothing is thrown for a failing run except for invalid requests).
    /// With <see cref="TrainingRequest.Resume"/> it continues from the run directory's last checkpoint.
    /// </summary>
    TrainingOutcome Run(TrainingRequest request, ITrainingObserver observer, CancellationToken cancellationToken);

    /// <summary>True when <paramref name="runDirectory"/> holds a checkpoint this engine can resume from.</summary>
    bool HasCheckpoint(string runDirectory) => new RunDirectory(runDirectory).HasCheckpoint;
}
