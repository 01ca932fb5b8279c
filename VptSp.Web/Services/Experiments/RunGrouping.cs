using VptSp.Core.Training;

namespace VptSp.Web.Services.Experiments;

/// <summary>
/// Groups runs for the Runs page, Compare and the results table. <c>by</c>: <c>none</c> (one group per run),
/// <c>sweep</c> (one group per sweep and combination of swept values: its seeds), <c>tag</c> (a run with two tags is in
/// two groups), or <c>key:a,b</c> (by the values of config keys a and b; seed excluded unless named).
/// </summary>
public static class RunGrouping
{
    public const string None = "none";
    public const string Sweep = "sweep";
    public const string Tag = "tag";
    public const string KeyPrefix = "key:";

    public static IReadOnlyList<RunGroup> Group(IReadOnlyList<ExperimentRun> runs, string? by)
    {
        by = string.IsNullOrWhiteSpace(by) ? None : by.Trim();
        if (by == None) return runs.Select(r => new RunGroup($"run:{r.Id}", $"#{r.Id} {r.Summary.Name}", [r])).ToList();
        if (by == Sweep)
            return Ordered(runs.GroupBy(r => r.SweepId is { } s ? $"sweep:{s}|{r.GroupKey}" : "sweep:none")
                .Select(g => new RunGroup(g.Key, g.First().SweepId is { } s ? $"sweep #{s} · {g.First().GroupKey}" : "(not in a sweep)", g.ToList())));
        if (by == Tag)
            return Ordered(runs.SelectMany(r => r.Summary.Tags.Count == 0 ? [(Tag: (string?)null, Run: r)] : r.Summary.Tags.Select(t => (Tag: (string?)t, Run: r)))
                .GroupBy(x => x.Tag ?? "")
                .Select(g => new RunGroup("tag:" + g.Key, g.Key.Length == 0 ? "(untagged)" : "tag " + g.Key, g.Select(x => x.Run).ToList())));
        if (by.StartsWith(KeyPrefix, StringComparison.Ordinal))
        {
            var keys = ParseKeys(by);
            return Ordered(runs.GroupBy(r => Describe(r.Config, keys))
                .Select(g => new RunGroup("key:" + g.Key, g.Key, g.ToList())));
        }
        throw new ArgumentException($"by: '{by}' is not none, sweep, tag or key:<config key>[,<config key>…]");
    }

    public static IReadOnlyList<ConfigKeys.Key> ParseKeys(string by)
    {
        var names = by[KeyPrefix.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new ArgumentException("by: key: needs at least one config key");
        return names.Select(n => ConfigKeys.Exists(n) ? ConfigKeys.Find(n) : throw new ArgumentException($"by: '{n}' is not a config key")).ToList();
    }

    /// <summary>"lr=0.01, num_prompt=5" for the given keys of a config.</summary>
    public static string Describe(TrainingConfig config, IReadOnlyList<ConfigKeys.Key> keys) =>
        string.Join(", ", keys.Select(k => $"{k.Name}={ConfigKeys.Format(k.Property.GetValue(config))}"));

    /// <summary>Keys whose values differ among the runs (the compare view's config diff), in key order.</summary>
    public static IReadOnlyList<string> DifferingKeys(IReadOnlyList<TrainingConfig> configs)
    {
        if (configs.Count < 2) return [];
        var first = configs[0];
        var differing = configs.Skip(1).SelectMany(c => TrainingConfigYaml.Diff(first, c)).Select(d => d.Key).ToHashSet();
        return ConfigKeys.All.Select(k => k.Name).Where(differing.Contains).ToList();
    }

    // Groups in order of their newest run first, as the Runs table lists runs.
    private static List<RunGroup> Ordered(IEnumerable<RunGroup> groups) =>
        groups.OrderByDescending(g => g.Runs.Max(r => r.Id)).ToList();
}
