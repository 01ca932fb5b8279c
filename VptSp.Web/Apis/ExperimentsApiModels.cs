using System.Text.Json;
using VptSp.Web.Services.Experiments;

namespace VptSp.Web.Apis;

/// <summary>
/// Body of POST /api/sweeps. <c>parameters</c> maps a config key to a list of values (<c>[0.001, 0.01]</c>) or a range
/// (<c>{"min": 1, "max": 10, "step": 3}</c>, <c>{"min": 1e-4, "max": 1e-2, "count": 3, "log": true}</c>; random sweeps draw from
/// <c>{"min", "max", "log"}</c>). Mode <c>grid</c> (default) or <c>random</c> with a <c>budget</c>; every combination runs once per seed.
/// </summary>
public sealed record CreateSweepRequest(
    string? Name,
    string? Config,
    Dictionary<string, JsonElement>? Overrides,
    string? SourcePath,
    List<string>? Tags,
    string? Mode,
    Dictionary<string, JsonElement>? Parameters,
    int? Budget,
    List<int>? Seeds,
    int? RandomSeed);

public sealed record SweepCreatedResponse(long Id, int Runs, IReadOnlyList<long> RunIds);

public sealed record SweepCancelledResponse(long Id, int RunsAskedToStop);

public sealed record SweepResponse(long Id, string Name, string Mode, IReadOnlyList<string> Keys, string Status, int Runs,
    IReadOnlyDictionary<string, int> RunsByStatus, DateTimeOffset CreatedAt, DateTimeOffset? CancelledAt)
{
    public static SweepResponse From(SweepSummary s) => new(s.Id, s.Name, s.Mode, s.Keys, s.Status, s.Runs, s.RunsByStatus, s.CreatedAt, s.CancelledAt);
}

public sealed record SweepDetailResponse(SweepResponse Sweep, JsonElement Spec, IReadOnlyList<GroupResponse> Groups, IReadOnlyList<RunResponse> Runs);

public sealed record StatResponse(double Mean, double Std, int N)
{
    public static StatResponse? From(MetricStat? s) => s is { } v ? new(v.Mean, v.Std, v.N) : null;
}

/// <summary>A group row: its runs and, per best-epoch metric, mean, sample std and n over its completed runs.</summary>
public sealed record GroupResponse(string Key, string Label, IReadOnlyList<long> RunIds, int Completed, IReadOnlyDictionary<string, StatResponse?> Metrics)
{
    public static GroupResponse From(RunGroup g) => new(g.Key, g.Label, g.Runs.Select(r => r.Id).ToList(), g.Counted.Count,
        g.MetricKeys.ToDictionary(k => k, k => StatResponse.From(g.Stat(k))));
}

public sealed record ResultsRowResponse(string Label, int Runs, int Completed, IReadOnlyDictionary<string, StatResponse?> Metrics,
    long? TrainableParameters, double? TrainablePercent, StatResponse? ImagesPerSecond, StatResponse? PeakMemoryMb);

public sealed record ResultsResponse(IReadOnlyList<string> MetricKeys, IReadOnlyDictionary<string, string> MetricLabels, IReadOnlyList<ResultsRowResponse> Rows, string Rule)
{
    public static ResultsResponse From(ResultsTable t) => new(t.MetricKeys, t.MetricKeys.ToDictionary(k => k, ExperimentMetrics.Label),
        t.Rows.Select(r => new ResultsRowResponse(r.Label, r.Runs, r.Completed, r.Metrics.ToDictionary(kv => kv.Key, kv => StatResponse.From(kv.Value)),
            r.TrainableParameters, r.TrainablePercent, StatResponse.From(r.ImagesPerSecond), StatResponse.From(r.PeakMemoryMb))).ToList(), ResultsTable.Rule);
}

public sealed record EmbeddingMapPointResponse(int Index, double X, double Y, int Label);

/// <summary>A run's embedding map: PCA of its gallery embeddings; <c>explainedVariance</c> is each axis's share of the total variance.</summary>
public sealed record EmbeddingMapResponse(long RunId, string Dataset, string Split, int GalleryCount, IReadOnlyList<double> ExplainedVariance,
    IReadOnlyList<string> ClassNames, IReadOnlyList<EmbeddingMapPointResponse> Points);

internal static class SweepRequestMapping
{
    public static SweepRequest ToRequest(CreateSweepRequest body)
    {
        if (string.IsNullOrWhiteSpace(body.Config)) throw new InvalidSweepException("config", "config: give a preset name or YAML text");
        var parameters = new List<SweepParameter>();
        foreach (var (key, value) in body.Parameters ?? [])
            parameters.Add(value.ValueKind switch
            {
                JsonValueKind.Array => new SweepParameter(key, Values: value.EnumerateArray().Select(v => Scalar(key, v)).ToList()),
                JsonValueKind.Object => Range(key, value),
                _ => new SweepParameter(key, Values: [Scalar(key, value)]),
            });
        var definition = new SweepDefinition((body.Mode ?? SweepDefinition.Grid).Trim().ToLowerInvariant(), parameters, body.Seeds ?? [], body.Budget, body.RandomSeed ?? 0);
        return new SweepRequest(body.Name, body.Config, OverrideValues.ToText(body.Overrides), body.SourcePath, body.Tags, definition);
    }

    private static SweepParameter Range(string key, JsonElement o)
    {
        double? Num(string name) => o.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.Number ? v.GetDouble()
            : throw new InvalidSweepException("parameters", $"parameters.{key}.{name}: must be a number", key) : null;
        int? count = null;
        if (o.TryGetProperty("count", out var c))
            count = c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : throw new InvalidSweepException("parameters", $"parameters.{key}.count: must be an integer", key);
        var log = o.TryGetProperty("log", out var l) && l.ValueKind == JsonValueKind.True;
        foreach (var p in o.EnumerateObject())
            if (p.Name is not ("min" or "max" or "step" or "count" or "log"))
                throw new InvalidSweepException("parameters", $"parameters.{key}.{p.Name}: unknown field (use min, max, step, count, log)", key);
        return new SweepParameter(key, null, Num("min"), Num("max"), Num("step"), count, log);
    }

    private static string Scalar(string key, JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString() ?? "",
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new InvalidSweepException("parameters", $"parameters.{key}: values must be plain strings, numbers or booleans", key),
    };
}
