namespace VptSp.Web.Hubs;

/// <summary>The payloads the hub sends (camelCase JSON).</summary>
public static class TrainingHubMessages
{
    public const string StepProgress = "StepProgress";
    public const string EpochCompleted = "EpochCompleted";
    public const string RunStateChanged = "RunStateChanged";

    public sealed record StepProgressMessage(long RunId, int Epoch, int Step, int TotalSteps, double Loss, double Lr, double ImagesPerSecond, double EtaSeconds, string Eta);

    public sealed record EpochCompletedMessage(long RunId, int Epoch, IReadOnlyDictionary<string, double> Metrics);

    public sealed record RunStateChangedMessage(long RunId, string Status, string? Error);
}
