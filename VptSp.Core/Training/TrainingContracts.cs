namespace VptSp.Core.Training;

/// <summary>Lifecycle of one training run, as hosts (CLI, web worker) see it.</summary>
public enum RunState
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
    Interrupted,
}

/// <summary>One optimisation step. <see cref="Step"/> is global (1-based, counted across epochs).</summary>
public sealed record StepReport(
    int Epoch,
    int Step,
    int StepsPerEpoch,
    int TotalSteps,
    double Loss,
    double LearningRate,
    double ImagesPerSecond,
    TimeSpan Eta);

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
    void OnStateChanged(RunState state, string? message);
    void OnStep(StepReport report);
    void OnEpoch(EpochReport report);
    void OnLog(string line);
}

/// <summary>An observer that ignores everything.</summary>
public sealed class NullTrainingObserver : ITrainingObserver
{
    public static readonly NullTrainingObserver Instance = new();
    public void OnStateChanged(RunState state, string? message) { }
    public void OnStep(StepReport report) { }
    public void OnEpoch(EpochReport report) { }
    public void OnLog(string line) { }
}
