using VptSp.Core.Training;

namespace VptSp.Web.Services.Runs;

/// <summary>Status strings as stored and served: the lower-case names of <see cref="RunState"/>.</summary>
public static class RunStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Interrupted = "interrupted";

    public static readonly IReadOnlyList<string> All = [Queued, Running, Completed, Failed, Cancelled, Interrupted];

    public static string Of(RunState state) => state.ToString().ToLowerInvariant();

    /// <summary>Runs that may be continued from their last checkpoint.</summary>
    public static bool IsResumable(string status) => status is Cancelled or Interrupted;

    public static bool IsActive(string status) => status is Queued or Running;
}
