namespace VptSp.Core.Training;

/// <summary>
/// What each <see cref="RunState"/> allows — the one place the hosts (API, pages, worker) ask.
/// A run can be cancelled while queued or running, resumed when it stopped early (cancelled, interrupted or failed)
/// and left a checkpoint, deleted unless it is running, and searched once completed.
/// </summary>
/// <remarks>
/// Failed runs are resumable from their last checkpoint on purpose: many failures are transient (out of memory, a killed
/// process, a disk that filled up), and the checkpoint holds everything needed to continue. A run that failed before its
/// first checkpoint has nothing to resume and is not offered.
/// </remarks>
public static class RunStates
{
    /// <summary>Every state in display order.</summary>
    public static readonly IReadOnlyList<RunState> All = Enum.GetValues<RunState>();

    /// <summary>The stored and served name: "queued", "running", "completed", "failed", "cancelled", "interrupted".</summary>
    public static string Name(RunState state) => state switch
    {
        RunState.Queued => "queued",
        RunState.Running => "running",
        RunState.Completed => "completed",
        RunState.Failed => "failed",
        RunState.Cancelled => "cancelled",
        RunState.Interrupted => "interrupted",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown run state"),
    };

    /// <summary>The state of a stored or requested name (case-insensitive); false for anything else.</summary>
    public static bool TryParse(string? name, out RunState state)
    {
        foreach (var s in All)
            if (string.Equals(Name(s), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                state = s;
                return true;
            }
        state = default;
        return false;
    }

    /// <summary>The state of a stored name; an unknown name is an error naming it.</summary>
    public static RunState Parse(string name) =>
        TryParse(name, out var s) ? s : throw new FormatException($"'{name}' is not a run state (one of {string.Join(", ", All.Select(Name))})");

    /// <summary>Queued or running: the run is not finished.</summary>
    public static bool IsActive(RunState state) => state is RunState.Queued or RunState.Running;

    public static bool CanCancel(RunState state) => IsActive(state);

    /// <summary>The run stopped before its end and left a checkpoint to continue from.</summary>
    public static bool CanResume(RunState state, bool hasCheckpoint) =>
        hasCheckpoint && state is RunState.Cancelled or RunState.Interrupted or RunState.Failed;

    /// <summary>Anything but a running run (which must be cancelled first).</summary>
    public static bool CanDelete(RunState state) => state != RunState.Running;

    /// <summary>Only completed runs have the artefacts and stored embeddings search needs.</summary>
    public static bool CanSearch(RunState state) => state == RunState.Completed;

    /// <summary>Why <see cref="CanResume"/> is false, as a sentence for a 409 or a tooltip.</summary>
    public static string WhyNotResumable(RunState state, bool hasCheckpoint) => state switch
    {
        RunState.Cancelled or RunState.Interrupted or RunState.Failed when !hasCheckpoint => $"it is {Name(state)} before its first checkpoint; there is nothing to resume",
        _ => $"it is {Name(state)}; only cancelled, interrupted or failed runs with a checkpoint can be resumed",
    };
}
