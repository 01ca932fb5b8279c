using System.Globalization;

namespace VptSp.Web.Hubs;

/// <summary>The payloads the hub sends (camelCase JSON).</summary>
public static class TrainingHubMessages
{
    public const string StepProgress = "StepProgress";
    public const string EpochCompleted = "EpochCompleted";
    public const string RunStateChanged = "RunStateChanged";

    /// <summary>
    /// One step, the run's <see cref="VptSp.Core.Training.StepProgress"/> flattened for hub clients (its one mapping is
    /// <see cref="From"/>): <see cref="Step"/> is global (1-based across epochs); <see cref="StepsPerEpoch"/> 0 when unknown;
    /// while <see cref="EtaReady"/> is false the ETA is still a warm-up guess (pages show "ETA —").
    /// </summary>
    public sealed record StepProgressMessage(long RunId, int Epoch, int Step, int TotalSteps, double Loss, double Lr, double ImagesPerSecond, double EtaSeconds, string Eta,
        int StepsPerEpoch, bool EtaReady)
    {
        public static StepProgressMessage From(long runId, VptSp.Core.Training.StepProgress p) => new(runId, p.Epoch, p.Step, p.TotalSteps, p.Loss,
            p.LearningRate, p.ImagesPerSecond, p.Eta.TotalSeconds, p.Eta.ToString("c", CultureInfo.InvariantCulture), p.StepsPerEpoch, p.EtaReady);
    }

    public sealed record EpochCompletedMessage(long RunId, int Epoch, IReadOnlyDictionary<string, double> Metrics);

    public sealed record RunStateChangedMessage(long RunId, string Status, string? Error);
}
