using System.Text.Json;
using System.Text.Json.Serialization;
using VptSp.Core.Training;

namespace VptSp.Runs;

/// <summary>
/// A <see cref="RunEvent"/> as the JSON text sent between VptSp processes (PostgreSQL NOTIFY payloads, at most 8,000 bytes):
/// the sending process's id, the kind and the event's fields (a step's <see cref="StepProgress"/> flattened into short keys,
/// mapped both ways in one place). <see cref="TryRead"/> refuses anything malformed.
/// </summary>
public static class RunEventWire
{
    public const string Channel = "vptsp_run_events";

    private sealed record Wire(
        [property: JsonPropertyName("o")] string Origin,
        [property: JsonPropertyName("k")] string Kind,
        [property: JsonPropertyName("r")] long RunId,
        [property: JsonPropertyName("e")] int Epoch = 0,
        [property: JsonPropertyName("s")] int Step = 0,
        [property: JsonPropertyName("n")] int TotalSteps = 0,
        [property: JsonPropertyName("l")] double Loss = 0,
        [property: JsonPropertyName("lr")] double Lr = 0,
        [property: JsonPropertyName("ips")] double ImagesPerSecond = 0,
        [property: JsonPropertyName("eta")] double EtaSeconds = 0,
        [property: JsonPropertyName("spe")] int StepsPerEpoch = 0,
        [property: JsonPropertyName("er")] bool EtaReady = true,
        [property: JsonPropertyName("m")] Dictionary<string, double>? Metrics = null,
        [property: JsonPropertyName("st")] string? Status = null,
        [property: JsonPropertyName("err")] string? Error = null);

    public static string Write(RunEvent e, string origin) => JsonSerializer.Serialize(e switch
    {
        StepProgressEvent s => ToWire(origin, s.RunId, s.Progress),
        EpochCompletedEvent p => new Wire(origin, "epoch", p.RunId, p.Epoch,
            Metrics: p.Metrics.Where(kv => double.IsFinite(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value)),
        RunStateChangedEvent c => new Wire(origin, "state", c.RunId, Status: RunStates.Name(c.Status), Error: Shorten(c.Error)),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name),
    });

    /// <summary>The event and its origin, or false for a payload that is not one.</summary>
    public static bool TryRead(string payload, out RunEvent? e, out string? origin)
    {
        e = null;
        origin = null;
        Wire? w;
        try { w = JsonSerializer.Deserialize<Wire>(payload); }
        catch (JsonException) { return false; }
        if (w is null || w.Origin is null) return false;
        origin = w.Origin;
        RunState state = default;
        e = w.Kind switch
        {
            "step" => new StepProgressEvent(w.RunId, ToProgress(w)),
            "epoch" => new EpochCompletedEvent(w.RunId, w.Epoch, w.Metrics ?? []),
            "state" when RunStates.TryParse(w.Status, out state) => new RunStateChangedEvent(w.RunId, state, w.Error),
            _ => null,
        };
        return e is not null;
    }

    private static Wire ToWire(string origin, long runId, StepProgress p) =>
        new(origin, "step", runId, p.Epoch, p.Step, p.TotalSteps, Finite(p.Loss), Finite(p.LearningRate), Finite(p.ImagesPerSecond),
            p.Eta.TotalSeconds, p.StepsPerEpoch, p.EtaReady);

    private static StepProgress ToProgress(Wire w) =>
        new(w.Epoch, w.Step, w.StepsPerEpoch, w.TotalSteps, w.Loss, w.Lr, w.ImagesPerSecond,
            TimeSpan.FromSeconds(Math.Clamp(w.EtaSeconds, 0, TimeSpan.MaxValue.TotalSeconds / 2)), w.EtaReady);

    // JSON has no NaN: a diverged loss travels as 0 rather than breaking the payload (the stored rows keep the truth).
    private static double Finite(double v) => double.IsFinite(v) ? v : 0;

    private static string? Shorten(string? s) => s is { Length: > 2000 } ? s[..2000] + "…" : s;
}
