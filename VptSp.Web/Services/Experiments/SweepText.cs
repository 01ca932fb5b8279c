using System.Globalization;

namespace VptSp.Web.Services.Experiments;

/// <summary>
/// The Launch page's sweep text: one swept key a line — <c>lr = 0.001, 0.01</c> (a list), <c>num_prompt = 1..10 step 3</c>,
/// <c>lr = 1e-4..1e-2 count 3 log</c> (grid ranges) or <c>lr = 1e-4..1e-2 log</c> (a random-sweep range); seeds as <c>0, 1, 2</c>.
/// </summary>
public static class SweepText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static IReadOnlyList<SweepParameter> ParseParameters(string? text)
    {
        var result = new List<SweepParameter>();
        var lineNo = 0;
        foreach (var raw in (text ?? "").Split('\n'))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var eq = line.IndexOf('=');
            if (eq <= 0) throw new InvalidSweepException("parameters", $"parameters line {lineNo}: write key = values (e.g. lr = 0.001, 0.01)");
            var key = line[..eq].Trim();
            var rest = line[(eq + 1)..].Trim();
            result.Add(rest.Contains("..", StringComparison.Ordinal) ? Range(key, rest, lineNo) : new SweepParameter(key, Values: SplitList(rest)));
        }
        return result;
    }

    public static IReadOnlyList<int> ParseSeeds(string? text)
    {
        var seeds = new List<int>();
        foreach (var part in SplitList(text ?? ""))
            seeds.Add(int.TryParse(part, NumberStyles.Integer, Inv, out var s) ? s : throw new InvalidSweepException("seeds", $"seeds: '{part}' is not an integer"));
        return seeds;
    }

    /// <summary>Fixed <c>key = value</c> lines applied to every run of the sweep.</summary>
    public static IReadOnlyDictionary<string, string> ParseOverrides(string? text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in (text ?? "").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var eq = line.IndexOf('=');
            if (eq <= 0) throw new InvalidSweepException("overrides", $"fixed overrides: '{line}' is not key = value");
            result[line[..eq].Trim()] = line[(eq + 1)..].Trim();
        }
        return result;
    }

    private static List<string> SplitList(string s) =>
        s.Trim().TrimStart('[').TrimEnd(']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static SweepParameter Range(string key, string rest, int lineNo)
    {
        var words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var bounds = words[0].Split("..");
        if (bounds.Length != 2 || !double.TryParse(bounds[0], NumberStyles.Float, Inv, out var min) || !double.TryParse(bounds[1], NumberStyles.Float, Inv, out var max))
            throw new InvalidSweepException("parameters", $"parameters line {lineNo}: a range is min..max (e.g. 1..10 step 3)", key);
        double? step = null;
        int? count = null;
        var log = false;
        for (var i = 1; i < words.Length; i++)
        {
            switch (words[i])
            {
                case "step" when i + 1 < words.Length && double.TryParse(words[i + 1], NumberStyles.Float, Inv, out var st):
                    step = st; i++; break;
                case "count" when i + 1 < words.Length && int.TryParse(words[i + 1], NumberStyles.Integer, Inv, out var c):
                    count = c; i++; break;
                case "log":
                    log = true; break;
                default:
                    throw new InvalidSweepException("parameters", $"parameters line {lineNo}: '{words[i]}' is not step N, count N or log", key);
            }
        }
        return new SweepParameter(key, null, min, max, step, count, log);
    }
}
