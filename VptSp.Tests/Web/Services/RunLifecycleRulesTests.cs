using VptSp.Core.Training;
using VptSp.Runs;
using VptSp.Tests.Support;

namespace VptSp.Tests.Web.Services;

/// <summary>How a run moves between states: <see cref="RunLifecycle"/> decides, and nothing else writes a status.</summary>
public sealed class RunLifecycleRulesTests
{
    private static TrainingOutcome Outcome(RunState state, string? error = null) => new(state, 1, null, null, error);

    [Theory]
    [InlineData(RunState.Completed, false, false, RunState.Completed)]
    [InlineData(RunState.Cancelled, false, true, RunState.Cancelled)]   // the user's cancel wins over auto_resume
    [InlineData(RunState.Cancelled, true, false, RunState.Interrupted)] // the host stopped
    [InlineData(RunState.Cancelled, true, true, RunState.Queued)]       // the host stopped, auto_resume: handed back
    [InlineData(RunState.Failed, true, true, RunState.Failed)]
    public void AnExecutionEndsInTheStateItsOutcomeAndHostDecide(RunState outcome, bool hostStopping, bool autoResume, RunState expected)
    {
        var t = RunLifecycle.AfterExecution(Outcome(outcome, "boom"), hostStopping, autoResume, hasCheckpoint: true);
        Assert.Equal(expected, t.To);
        Assert.Equal(expected == RunState.Queued, t.Resume);
        Assert.Equal(expected is not RunState.Queued, t.Finishes);
    }

    [Fact]
    public void AFailedExecutionKeepsTheEnginesReasonAndAMissingOneIsSaid()
    {
        Assert.Equal("boom", RunLifecycle.AfterExecution(Outcome(RunState.Failed, "boom"), false, false, false).Reason);
        Assert.Equal("the run failed", RunLifecycle.AfterExecution(Outcome(RunState.Failed), false, false, false).Reason);
    }

    [Fact]
    public void ALostWorkerRequeuesOnlyAutoResumeRunsWithExecutionsLeft()
    {
        var requeued = RunLifecycle.WorkerLost(RunLifecycle.DiedReason, autoResume: true, executions: 2, maxAutoResumes: 3, hasCheckpoint: true);
        Assert.Equal(RunState.Queued, requeued.To);
        Assert.True(requeued.Resume);
        Assert.Equal(RunLifecycle.DiedReason + "; re-queued to resume from its last checkpoint (attempt 3)", requeued.Reason);

        var noCheckpoint = RunLifecycle.WorkerLost(RunLifecycle.LostWorkerReason, true, 1, 3, hasCheckpoint: false);
        Assert.Equal(RunState.Queued, noCheckpoint.To);
        Assert.False(noCheckpoint.Resume); // starts over

        var exhausted = RunLifecycle.WorkerLost(RunLifecycle.LostWorkerReason, true, 4, 3, true);
        Assert.Equal(RunState.Interrupted, exhausted.To);
        Assert.Equal(RunLifecycle.LostWorkerReason + "; resume continues from its last checkpoint", exhausted.Reason);
        Assert.Equal(RunState.Interrupted, RunLifecycle.WorkerLost(RunLifecycle.DiedReason, false, 1, 3, true).To);
    }

    [Fact]
    public void AClaimKeepsTheReasonAndResumeFlagItsWorkerReads()
    {
        var run = new VptSp.Runs.Data.Entities.RunEntity { Status = RunState.Queued, Error = "re-queued", ResumeRequested = true, CancelRequested = true };
        RunLifecycle.Write(run, RunLifecycle.Claimed, DateTimeOffset.UnixEpoch);
        Assert.Equal((RunState.Running, "re-queued", true, false, (DateTimeOffset?)null),
            (run.Status, run.Error, run.ResumeRequested, run.CancelRequested, run.FinishedAt));
        run.LeaseExpiresAtMs = 5;
        RunLifecycle.Write(run, RunLifecycle.AfterExecution(Outcome(RunState.Completed), false, false, true), DateTimeOffset.UnixEpoch);
        Assert.Equal((RunState.Completed, (string?)null, false, (long?)null, (DateTimeOffset?)DateTimeOffset.UnixEpoch),
            (run.Status, run.Error, run.ResumeRequested, run.LeaseExpiresAtMs, run.FinishedAt));
    }

    /// <summary>A status written anywhere but RunLifecycle would bypass its rules (reason, finish time, lease, resume flag).</summary>
    [Fact]
    public void NoSourceFileOutsideRunLifecycleWritesARunStatus()
    {
        var writes = new System.Text.RegularExpressions.Regex(@"SetProperty\(\s*\w+\s*=>\s*\w+\.Status\b|\b(run|row|r|entity)\.Status\s*=[^=>]");
        var offenders = new List<string>();
        foreach (var project in new[] { "VptSp.Runs", "VptSp.Web", "VptSp.Worker", "VptSp.Cli" })
            foreach (var file in Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, project), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") || file.EndsWith("RunLifecycle.cs")) continue;
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                    if (writes.IsMatch(lines[i])) offenders.Add($"{Path.GetRelativePath(TestPaths.RepoRoot, file)}:{i + 1}: {lines[i].Trim()}");
            }
        Assert.Empty(offenders);
    }
}
