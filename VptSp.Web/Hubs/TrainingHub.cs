using Microsoft.AspNetCore.SignalR;

namespace VptSp.Web.Hubs;

/// <summary>
/// Live training progress at /hubs/training. Clients call <see cref="Subscribe"/> / <see cref="Unsubscribe"/> with a
/// run id and receive "StepProgress", "EpochCompleted" and "RunStateChanged" (one object argument each, see
/// <see cref="TrainingHubMessages"/>).
/// </summary>
public sealed class TrainingHub : Hub
{
    public const string Path = "/hubs/training";

    public static string GroupOf(long runId) => "run-" + runId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public Task Subscribe(long runId)
    {
        if (runId <= 0) throw new HubException("runId must be positive");
        return Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(runId));
    }

    public Task Unsubscribe(long runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(runId));
}
