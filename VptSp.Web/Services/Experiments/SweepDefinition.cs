namespace VptSp.Web.Services.Experiments;

/// <summary>
/// One swept config key: a list of <see cref="Values"/>, or a range [<see cref="Min"/>, <see cref="Max"/>] with a
/// <see cref="Step"/> or a <see cref="Count"/> of points (grid), or sampled uniformly (random; log-uniform with <see cref="Log"/>).
/// </summary>
public sealed record SweepParameter(
    string Key,
    IReadOnlyList<string>? Values = null,
    double? Min = null,
    double? Max = null,
    double? Step = null,
    int? Count = null,
    bool Log = false)
{
    public bool IsRange => Values is null;
}

/// <summary>What a sweep varies: grid (every combination) or random (<see cref="Budget"/> draws), each run once per seed.</summary>
public sealed record SweepDefinition(
    string Mode,
    IReadOnlyList<SweepParameter> Parameters,
    IReadOnlyList<int> Seeds,
    int? Budget = null,
    int RandomSeed = 0)
{
    public const string Grid = "grid";
    public const string Random = "random";
}

/// <summary>One combination of swept values (config key → value text, in the order the keys were given).</summary>
public sealed record SweepCombination(IReadOnlyList<KeyValuePair<string, string>> Values)
{
    /// <summary>"lr=0.01, num_prompt=5": the group key runs of this combination share (whatever their seed).</summary>
    public string Label => string.Join(", ", Values.Select(kv => $"{kv.Key}={kv.Value}"));
}

/// <summary>A sweep request that cannot be queued; <see cref="Field"/> names the request field, <see cref="Key"/> the config key when one is at fault.</summary>
public sealed class InvalidSweepException(string field, string message, string? key = null, string? combination = null) : ArgumentException(message)
{
    public string Field { get; } = field;
    public string? Key { get; } = key;
    public string? Combination { get; } = combination;
}

public sealed class SweepNotFoundException(long id) : VptSp.Core.Diagnostics.UserFacingException($"sweep {id} does not exist")
{
    public long Id { get; } = id;
}
