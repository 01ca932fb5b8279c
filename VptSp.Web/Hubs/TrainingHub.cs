using VptSp.Core.Training;
using Microsoft.AspNetCore.SignalR;
using VptSp.Runs;

namespace VptSp.Web.Hubs;

/// <summary>
/// Live training progress at /hubs/training. Clients call <see cref="Subscribe"/> / <see cref="Unsubscribe"/> with a
/// run id and receive "StepProgress", "EpochCompleted" and "RunStateChanged" (one object argument each, see
/// <see cref="TrainingHubMessages"/>). Subscribing first sends the run's current status, so a late subscriber
/// cannot miss the end of a run.
/// </summary>
public sealed class TrainingHub(IRunService runs) : Hub
{
    public const string Path = "/hubs/training";

    public static string GroupOf(long runId) => "run-" + runId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task Subscribe(long runId)
    {
        RunSummary summary;
        try
        {
            summary = (await runs.GetAsync(runId, Context.ConnectionAborted)).Summary;
        }
        catch (RunNotFoundException ex)
        {
            throw new HubException(ex.Message);
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(runId), Context.ConnectionAborted);
        await Clients.Caller.SendAsync(TrainingHubMessages.RunStateChanged,
            new TrainingHubMessages.RunStateChangedMessage(runId, RunStates.Name(summary.Status), summary.Error), Context.ConnectionAborted);
    }

    public Task Unsubscribe(long runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(runId));
}
