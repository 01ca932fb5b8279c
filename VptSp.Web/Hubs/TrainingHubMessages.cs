namespace VptSp.Web.Hubs;

/// <summary>The payloads the hub sends (camelCase JSON).</summary>
public static class TrainingHubMessages
{
    public const string StepProgress = "StepProgress";
    public const string EpochCompleted = "EpochCompleted";
    public const string RunStateChanged = "RunStateChanged";

    /// <summary>
    /// One step: <see cref="Step"/> is global (1-based across epochs); <see cref="StepsPerEpoch"/> 0 when unknown; while
    /// <see cref="EtaReady"/> is false the ETA is still a warm-up guess (pages show "ETA —").
    /// </summary>
    public sealed record StepProgressMessage(long RunId, int Epoch, int Step, int TotalSteps, double Loss, double Lr, double ImagesPerSecond, double EtaSeconds, string Eta,
        int StepsPerEpoch, bool EtaReady);

    public sealed record EpochCompletedMessage(long RunId, int Epoch, IReadOnlyDictionary<string, double> Metrics);

    public sealed record RunStateChangedMessage(long RunId, string Status, string? Error);
}
