using VptSp.Core.Training;
using System.Text.Json;
using System.Text.Json.Nodes;
using VptSp.Runs;

namespace VptSp.Web.Apis;

/// <summary>Body of POST /api/runs. Override values may be strings, numbers, booleans or lists.</summary>
public sealed record CreateRunRequest(
    string? Config,
    Dictionary<string, JsonElement>? Overrides,
    string? SourcePath,
    string? Name,
    List<string>? Tags,
    string? Device = null,
    bool? AutoResume = null);

public sealed record SubmitResponse(long Id, string Status, int Position);

public sealed record RunStatusResponse(long Id, string Status);

public sealed record RunResponse(
    long Id,
    string Name,
    string Status,
    string? Error,
    string Dataset,
    string Method,
    string Backbone,
    string Preset,
    long TotalParameters,
    long TrainableParameters,
    int EpochsCompleted,
    int EpochsPlanned,
    int? BestEpoch,
    double? BestRecallAt1,
    double? BestMapAtR,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<string> Tags,
    string? Notes,
    bool Archived,
    string? Worker)
{
    public static RunResponse From(RunSummary s) => new(s.Id, s.Name, RunStates.Name(s.Status), s.Error, s.Dataset, s.Method, s.Backbone, s.Preset,
        s.TotalParameters, s.TrainableParameters, s.EpochsCompleted, s.EpochsPlanned, s.BestEpoch, s.BestRecallAt1, s.BestMapAtR,
        s.CreatedAt, s.StartedAt, s.FinishedAt, s.Tags, s.Notes, s.Archived, s.Worker);
}

public sealed record RunDetailResponse(
    RunResponse Run,
    long Id,
    string Status,
    string? Error,
    JsonObject Config,
    string ConfigYaml,
    string? SourcePath,
    RunReproducibility? Reproducibility,
    IReadOnlyList<string> Artefacts,
    IReadOnlyList<string> LogTail,
    RunActions Actions);

public sealed record StepResponse(int Step, int Epoch, double Loss, double Lr, double ImagesPerSecond);

/// <summary>Steps, and epochs as flat objects: {"epoch", "loss", "durationSeconds", "recall@1", …}.</summary>
public sealed record MetricsResponse(IReadOnlyList<StepResponse> Steps, IReadOnlyList<JsonObject> Epochs);

public sealed record PresetResponse(string Name, string? Dataset, string? Method, int? NEpochs, string? Error);

internal static class OverrideValues
{
    /// <summary>JSON override values as the config's key=value text; objects are refused naming the key.</summary>
    public static Dictionary<string, string> ToText(Dictionary<string, JsonElement>? overrides)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (overrides is null) return result;
        foreach (var (key, value) in overrides)
            result[key] = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString() ?? "",
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => "",
                JsonValueKind.Array => "[" + string.Join(", ", value.EnumerateArray().Select(Scalar(key))) + "]",
                _ => throw new Core.Training.ConfigException(key, "an override must be a value or a list of values"),
            };
        return result;
    }

    private static Func<JsonElement, string> Scalar(string key) => v => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString() ?? "",
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new Core.Training.ConfigException(key, "list items must be plain values"),
    };
}
