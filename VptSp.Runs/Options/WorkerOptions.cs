using System.ComponentModel.DataAnnotations;
using VptSp.Core.Training;

namespace VptSp.Runs.Options;

/// <summary>
/// Section "Workers": how a worker claims queued runs and keeps them. Every run a worker executes carries a lease the
/// worker renews each <see cref="HeartbeatSeconds"/>; a run whose lease is older than <see cref="LeaseSeconds"/> has lost its
/// worker and is re-queued (auto_resume) or marked interrupted by whichever VptSp process notices first.
/// </summary>
public sealed class WorkerOptions
{
    public const string Section = "Workers";

    /// <summary>The dashboard trains queued runs itself (the embedded default). Off: a dashboard only, runs go to <c>VptSp.Worker</c> processes.</summary>
    public bool InProcess { get; set; } = true;

    /// <summary>The name shown for this worker (default "host:pid").</summary>
    [MaxLength(120)] public string? Name { get; set; }

    [Range(3, 3600)] public int LeaseSeconds { get; set; } = 30;

    /// <summary>Lease renewal and cancel check; a cancel made in a dashboard reaches the worker within this time.</summary>
    [Range(1, 600)] public int HeartbeatSeconds { get; set; } = 2;

    /// <summary>PostgreSQL: how often an idle worker looks for a queued run it can serve (a local submit wakes it at once; on SQLite it only waits for that).</summary>
    [Range(1, 600)] public int PollSeconds { get; set; } = 1;

    /// <summary>Memory a run may need (MB; <see cref="RunMemoryEstimate"/>): a submission estimated above it is refused. Unset: this machine's available memory.</summary>
    [Range(1, int.MaxValue)] public int? MemoryLimitMb { get; set; }

    /// <summary>How many times a run is re-queued after losing its worker before it stays interrupted.</summary>
    [Range(0, 100)] public int MaxAutoResumes { get; set; } = 3;
}
