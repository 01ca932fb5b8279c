using VptSp.Core.Training;

namespace VptSp.Web.Services.Runs;

/// <summary>
/// Registered until VptSp.Core's Trainer is wired in (see ServiceRegistration.AddTrainingEngine):
/// every run fails with a clear message. It never pretends to train.
/// </summary>
public sealed class UnavailableTrainingEngine : ITrainingEngine
{
    public const string Message = "training engine not available in this build";

    public TrainingOutcome Run(TrainingRequest request, ITrainingObserver observer, CancellationToken cancellationToken)
    {
        observer.OnLog(Message);
        return new TrainingOutcome(RunState.Failed, 0, null, null, Message);
    }
}
