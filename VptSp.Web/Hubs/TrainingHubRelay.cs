using VptSp.Core.Training;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using VptSp.Runs;
using static VptSp.Web.Hubs.TrainingHubMessages;

namespace VptSp.Web.Hubs;

/// <summary>Forwards the (already throttled) run events to the hub group of each run, in order.</summary>
internal sealed class TrainingHubRelay(IRunEvents events, IHubContext<TrainingHub> hub, ILogger<TrainingHubRelay> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = Channel.CreateUnbounded<RunEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var subscription = events.Subscribe(null, e => pending.Writer.TryWrite(e));
        try
        {
            await foreach (var e in pending.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    var group = hub.Clients.Group(TrainingHub.GroupOf(e.RunId));
                    var (method, payload) = ToMessage(e);
                    await group.SendAsync(method, payload, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "sending a run event to the hub failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static (string Method, object Payload) ToMessage(RunEvent e) => e switch
    {
        StepProgressEvent s => (TrainingHubMessages.StepProgress, StepProgressMessage.From(s.RunId, s.Progress)),
        EpochCompletedEvent p => (EpochCompleted, new EpochCompletedMessage(p.RunId, p.Epoch, p.Metrics)),
        RunStateChangedEvent c => (RunStateChanged, new RunStateChangedMessage(c.RunId, RunStates.Name(c.Status), c.Error)),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name),
    };
}
