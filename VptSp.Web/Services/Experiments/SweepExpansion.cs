using System.Globalization;
using VptSp.Core.Training;

namespace VptSp.Web.Services.Experiments;

/// <summary>Expands a <see cref="SweepDefinition"/> into its combinations (seeds are applied by the caller). Pure and deterministic.</summary>
public static class SweepExpansion
{
    public const int MaxParameters = 12;
    public const int MaxValuesPerKey = 100;
    public const int MaxCombinations = 500;

    public static IReadOnlyList<SweepCombination> Expand(SweepDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var ps = definition.Parameters ?? [];
        if (ps.Count == 0) throw new InvalidSweepException("parameters", "parameters: give at least one config key to sweep");
        if (ps.Count > MaxParameters) throw new InvalidSweepException("parameters", $"parameters: more than {MaxParameters} keys");
        var duplicate = ps.GroupBy(p => p.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidSweepException("parameters", $"parameters: key '{duplicate.Key}' is given twice", duplicate.Key);
        foreach (var p in ps)
        {
            if (string.IsNullOrWhiteSpace(p.Key)) throw new InvalidSweepException("parameters", "parameters: a key has no name");
            if (!ConfigKeys.Exists(p.Key)) throw new InvalidSweepException("parameters", $"parameters.{p.Key}: unknown config key", p.Key);
            if (p.Key is "seed" && definition.Seeds is { Count: > 0 })
                throw new InvalidSweepException("parameters", "parameters.seed: sweep seeds with \"seeds\", not as a parameter", p.Key);
        }
        return definition.Mode switch
        {
            SweepDefinition.Grid => ExpandGrid(ps),
            SweepDefinition.Random => ExpandRandom(ps, definition.Budget, definition.RandomSeed),
            _ => throw new InvalidSweepException("mode", $"mode: '{definition.Mode}' is not grid or random"),
        };
    }

    private static List<SweepCombination> ExpandGrid(IReadOnlyList<SweepParameter> ps)
    {
        var axes = ps.Select(GridValues).ToList();
        // An exact product: 11 keys of 64 values (2^66) would wrap a long to 0 and queue nothing.
        var size = axes.Aggregate(System.Numerics.BigInteger.One, (n, a) => n * a.Count);
        if (size > MaxCombinations)
            throw new InvalidSweepException("parameters", $"parameters: the grid has {size} combinations, more than {MaxCombinations}");
        var total = (int)size;
        var result = new List<SweepCombination>(total);
        var index = new int[axes.Count];
        for (var n = 0; n < total; n++)
        {
            result.Add(new SweepCombination(ps.Select((p, i) => KeyValuePair.Create(p.Key, axes[i][index[i]])).ToList()));
            // Odometer: the last key varies fastest.
            for (var i = axes.Count - 1; i >= 0; i--)
            {
                if (++index[i] < axes[i].Count) break;
                index[i] = 0;
            }
        }
        return result;
    }

    private static List<SweepCombination> ExpandRandom(IReadOnlyList<SweepParameter> ps, int? budget, int randomSeed)
    {
        if (budget is not { } b || b < 1) throw new InvalidSweepException("budget", "budget: a random sweep needs a run budget of at least 1");
        if (b > MaxCombinations) throw new InvalidSweepException("budget", $"budget: more than {MaxCombinations}");
        foreach (var p in ps) CheckRange(p, needsSpacing: false);
        var rng = new Random(randomSeed);
        var result = new List<SweepCombination>(b);
        for (var n = 0; n < b; n++)
            result.Add(new SweepCombination(ps.Select(p => KeyValuePair.Create(p.Key, Draw(p, rng))).ToList()));
        return result;
    }

    private static string Draw(SweepParameter p, Random rng)
    {
        if (p.Values is { } values) return values[rng.Next(values.Count)].Trim();
        double lo = p.Min!.Value, hi = p.Max!.Value, u = rng.NextDouble();
        var v = p.Log ? Math.Exp(Math.Log(lo) + u * (Math.Log(hi) - Math.Log(lo))) : lo + u * (hi - lo);
        return Format(p.Key, v);
    }

    /// <summary>The values of one key on the grid: the list, min + i·step up to max, or count points (log-spaced with log).</summary>
    public static IReadOnlyList<string> GridValues(SweepParameter p)
    {
        if (p.Values is { } listed)
        {
            if (listed.Count == 0) throw new InvalidSweepException("parameters", $"parameters.{p.Key}: the list of values is empty", p.Key);
            if (listed.Count > MaxValuesPerKey) throw new InvalidSweepException("parameters", $"parameters.{p.Key}: more than {MaxValuesPerKey} values", p.Key);
            return listed.Select(v => v.Trim()).Distinct(StringComparer.Ordinal).ToList();
        }
        CheckRange(p, needsSpacing: true);
        double lo = p.Min!.Value, hi = p.Max!.Value;
        var raw = new List<double>();
        if (p.Step is { } step)
        {
            // Compare as a double before any cast: a tiny step (1e-300) gives 1e300 steps, which no integer holds.
            var steps = Math.Floor((hi - lo) / step + 1e-9);
            if (!(steps < MaxValuesPerKey))
                throw new InvalidSweepException("parameters",
                    $"parameters.{p.Key}: step {step.ToString("R", CultureInfo.InvariantCulture)} over {lo.ToString("R", CultureInfo.InvariantCulture)}..{hi.ToString("R", CultureInfo.InvariantCulture)} gives more than {MaxValuesPerKey} values; use a larger step or a count", p.Key);
            var n = (int)steps + 1;
            for (var i = 0; i < n; i++) raw.Add(lo + i * step);
        }
        else
        {
            var count = p.Count!.Value;
            for (var i = 0; i < count; i++)
            {
                var t = count == 1 ? 0 : (double)i / (count - 1);
                raw.Add(p.Log ? Math.Exp(Math.Log(lo) + t * (Math.Log(hi) - Math.Log(lo))) : lo + t * (hi - lo));
            }
        }
        return raw.Select(v => Format(p.Key, v)).Distinct(StringComparer.Ordinal).ToList();
    }

    private static void CheckRange(SweepParameter p, bool needsSpacing)
    {
        if (p.Values is { Count: 0 }) throw new InvalidSweepException("parameters", $"parameters.{p.Key}: the list of values is empty", p.Key);
        if (p.Values is not null) return;
        var type = ConfigKeys.Find(p.Key).Type;
        if (type != typeof(double) && type != typeof(int))
            throw new InvalidSweepException("parameters", $"parameters.{p.Key}: a range needs a numeric key; give a list of values", p.Key);
        if (p.Min is not { } lo || p.Max is not { } hi || !double.IsFinite(lo) || !double.IsFinite(hi) || hi < lo)
            throw new InvalidSweepException("parameters", $"parameters.{p.Key}: a range needs finite min ≤ max", p.Key);
        if (p.Log && lo <= 0) throw new InvalidSweepException("parameters", $"parameters.{p.Key}: a log range needs min > 0", p.Key);
        if (!needsSpacing) return;
        if (p.Step is { } step && (!double.IsFinite(step) || step <= 0))
            throw new InvalidSweepException("parameters", $"parameters.{p.Key}: step must be positive", p.Key);
        if (p.Step is null && p.Count is not ({ } c and >= 1 and <= MaxValuesPerKey))
            throw new InvalidSweepException("parameters", $"parameters.{p.Key}: a grid range needs a step or a count between 1 and {MaxValuesPerKey}", p.Key);
        if (p.Step is not null && p.Log) throw new InvalidSweepException("parameters", $"parameters.{p.Key}: a log range takes a count, not a step", p.Key);
    }

    /// <summary>A drawn or stepped number as the key's text: integers rounded, doubles to 6 significant digits (no 0.30000000000000004).</summary>
    private static string Format(string key, double v)
    {
        if (ConfigKeys.Find(key).Type == typeof(int)) return ((long)Math.Round(v, MidpointRounding.AwayFromZero)).ToString(CultureInfo.InvariantCulture);
        return double.Parse(v.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
    }
}
