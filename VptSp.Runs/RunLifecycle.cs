using Microsoft.EntityFrameworkCore.Query;
using VptSp.Core.Training;
using VptSp.Runs.Data.Entities;

namespace VptSp.Runs;

/// <summary>A change of a run's status with the reason shown to users (null: none) and whether it resumes from its checkpoint.</summary>
public sealed record RunTransition(RunState To, string? Reason, bool Resume = false)
{
    /// <summary>A run handed (back) to the queue keeps no finish time; every other end state gets one.</summary>
    public bool Finishes => To != RunState.Queued && To != RunState.Running;
}

/// <summary>
/// The one place that decides how a run moves between states and what reason it records: queueing, claiming, the end of an
/// execution, a cancel before the claim, and a worker that disappeared (its lease ran out, or the single-host server died
/// under it). Every status write in the run platform goes through <see cref="Write(RunEntity, RunTransition, DateTimeOffset)"/>
/// (tracked rows) or <see cref="Write(UpdateSettersBuilder{RunEntity}, RunTransition, DateTimeOffset)"/> (guarded bulk
/// updates), so the status, reason, finish time, lease and resume flag always change together.
/// </summary>
public static class RunLifecycle
{
    /// <summary>Why a run lost its worker when that worker stopped renewing its lease.</summary>
    public const string LostWorkerReason = "its worker stopped renewing its lease (killed, crashed or cut off)";
    /// <summary>Why a run lost its worker when the single-host server (SQLite) found it still running at start-up.</summary>
    public const string DiedReason = "the server process ended while the run was running (killed or crashed)";
    public const string ResumeHint = "resume continues from its last checkpoint";
    public const string StoppedReason = "the server stopped during the run";

    public static readonly RunTransition Queued = new(RunState.Queued, null);
    public static readonly RunTransition Claimed = new(RunState.Running, null);
    public static readonly RunTransition CancelledWhileQueued = new(RunState.Cancelled, null);

    /// <summary>A stopped run the user resumes: queued again, continuing from its checkpoint.</summary>
    public static readonly RunTransition Resumed = new(RunState.Queued, null, Resume: true);

    /// <summary>The worker failed around a run (not the engine): the run fails with the worker's message.</summary>
    public static RunTransition WorkerFailed(string message) => new(RunState.Failed, "worker error: " + message);

    /// <summary>
    /// What an execution's outcome makes of the run. A run stopped by its host's shutdown is interrupted (resumable), or handed
    /// back to the queue when it asked for auto_resume; a run stopped by its user is cancelled.
    /// </summary>
    public static RunTransition AfterExecution(TrainingOutcome outcome, bool hostStopping, bool autoResume, bool hasCheckpoint) => outcome.State switch
    {
        RunState.Completed => new(RunState.Completed, null),
        RunState.Cancelled when hostStopping && autoResume =>
            new(RunState.Queued, "its worker stopped during the run; re-queued to resume from its last checkpoint", hasCheckpoint),
        RunState.Cancelled when hostStopping => new(RunState.Interrupted, StoppedReason),
        RunState.Cancelled => new(RunState.Cancelled, null),
        RunState.Failed => new(RunState.Failed, outcome.Error ?? "the run failed"),
        RunState.Interrupted => new(RunState.Interrupted, outcome.Error),
        _ => new(RunState.Failed, $"the engine ended in state {RunStates.Name(outcome.State)}"),
    };

    /// <summary>
    /// A run whose worker disappeared (<paramref name="why"/>): re-queued at its old place to resume from its checkpoint when it
    /// asked for auto_resume and has executions left (<paramref name="executions"/> so far, at most <paramref name="maxAutoResumes"/>
    /// re-queues), otherwise interrupted.
    /// </summary>
    public static RunTransition WorkerLost(string why, bool autoResume, int executions, int maxAutoResumes, bool hasCheckpoint) =>
        autoResume && executions <= maxAutoResumes
            ? new(RunState.Queued, $"{why}; re-queued to resume from its last checkpoint (attempt {executions + 1})", hasCheckpoint)
            : new(RunState.Interrupted, $"{why}; {ResumeHint}");

    /// <summary>Applies <paramref name="t"/> to a tracked row (save it afterwards).</summary>
    public static void Write(RunEntity run, RunTransition t, DateTimeOffset now)
    {
        run.Status = t.To;
        run.CancelRequested = false;
        run.FinishedAt = t.Finishes ? now : null;
        if (t.To == RunState.Running) return; // a claim keeps the reason and resume flag its worker reads
        run.Error = t.Reason;
        run.ResumeRequested = t.Resume;
        run.LeaseExpiresAtMs = null;
    }

    /// <summary>Applies <paramref name="t"/> in a bulk update (the caller adds its guard and any fields of its own).</summary>
    public static void Write(UpdateSettersBuilder<RunEntity> s, RunTransition t, DateTimeOffset now)
    {
        DateTimeOffset? finished = t.Finishes ? now : null;
        s.SetProperty(r => r.Status, t.To).SetProperty(r => r.CancelRequested, false).SetProperty(r => r.FinishedAt, finished);
        if (t.To == RunState.Running) return; // a claim keeps the reason and resume flag its worker reads
        s.SetProperty(r => r.Error, t.Reason).SetProperty(r => r.ResumeRequested, t.Resume).SetProperty(r => r.LeaseExpiresAtMs, (long?)null);
    }
}
