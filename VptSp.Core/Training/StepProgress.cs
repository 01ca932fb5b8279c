namespace VptSp.Core.Training;

/// <summary>
/// One optimisation step: the one progress record, from the engine (<see cref="ITrainingObserver.OnStep"/>) through the
/// run platform to the browser; <see cref="ProgressText"/> writes it for people.
/// <see cref="Step"/> is global (1-based, counted across epochs); <see cref="StepsPerEpoch"/> and <see cref="TotalSteps"/>
/// are 0 when unknown (a stored, thinned step row). While <see cref="EtaReady"/> is false <see cref="Eta"/> is still a
/// guess: it averages the execution's steps so far, and the first <see cref="StepsBeforeEta"/> carry the warm-up.
/// </summary>
public sealed record StepProgress(
    int Epoch,
    int Step,
    int StepsPerEpoch,
    int TotalSteps,
    double Loss,
    double LearningRate,
    double ImagesPerSecond,
    TimeSpan Eta,
    bool EtaReady = true)
{
    /// <summary>Steps of an execution before its ETA is shown.</summary>
    public const int StepsBeforeEta = 3;

    /// <summary>The last step of its epoch or of the run (hosts always pass it on, however they throttle).</summary>
    public bool EndsEpoch => Step == TotalSteps || (StepsPerEpoch > 0 && Step % StepsPerEpoch == 0);
}
