namespace VptSp.Runs;

/// <summary>What this process is: the dashboard (web app, optionally with its in-process worker) or a worker host.</summary>
public sealed record RunPlatformRole(bool IsDashboard)
{
    public static readonly RunPlatformRole Dashboard = new(true);
    public static readonly RunPlatformRole Worker = new(false);
}
