using System.Globalization;
using System.Reflection;
using VptSp.Core.Runtime;

namespace VptSp.Core.Training;

/// <summary>The table of config keys (from <see cref="ConfigKeyAttribute"/>s) and conversion of raw values to their types.</summary>
public static class ConfigKeys
{
    public sealed record Key(string Name, PropertyInfo Property, ConfigKeyAttribute Meta)
    {
        public Type Type => Property.PropertyType;
        public object? DefaultValue => Property.GetValue(Defaults);

        /// <summary>The only accepted values: an enum key's spellings, or a string key's <see cref="ConfigKeyAttribute.Allowed"/> (empty = free text).</summary>
        public string[] Allowed { get; } = Property.PropertyType.IsEnum ? [.. EnumNames.All(Property.PropertyType)] : Meta.Allowed;
    }

    private static readonly TrainingConfig Defaults = new();

    public static IReadOnlyList<Key> All { get; } = typeof(TrainingConfig)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Select(p => (p, a: p.GetCustomAttribute<ConfigKeyAttribute>()))
        .Where(x => x.a is not null)
        .Select(x => new Key(x.a!.Key, x.p, x.a!))
        .ToList();

    private static readonly Dictionary<string, Key> ByName = All.ToDictionary(k => k.Name, StringComparer.Ordinal);

    public static Key Find(string name) =>
        ByName.TryGetValue(name, out var key)
            ? key
            : ReferenceOnlyKeys.Reasons.TryGetValue(name, out var reason)
            ? throw new ConfigException(name, $"a key of the reference's command line that is not a config key here: {reason}")
            : throw new ConfigException(name.Length > MaxSuggestedKeyChars ? name[..MaxSuggestedKeyChars] + "…" : name, $"unknown key{Suggest(name)}");

    public static bool Exists(string name) => ByName.ContainsKey(name);

    /// <summary>Converts a scalar string or a list of strings (from YAML, JSON or --set) to the key's type.</summary>
    public static object Convert(Key key, object? raw)
    {
        var t = key.Type;
        if (t == typeof(string[]) || t == typeof(int[]))
        {
            var items = raw switch
            {
                null => new List<string>(),
                IEnumerable<string> list when raw is not string => list.ToList(),
                string s => SplitList(s),
                _ => throw new ConfigException(key.Name, "expected a list"),
            };
            if (t == typeof(string[])) return items.ToArray();
            return items.Select(i => (int)ParseScalar(key, typeof(int), i)).ToArray();
        }
        if (raw is null) raw = t == typeof(string) ? "" : "null"; // YAML null: an empty string, an error naming the key otherwise
        if (raw is not string text)
            throw new ConfigException(key.Name, $"expected a single {TypeName(t)} value, not a list");
        if (t.IsEnum)
            return EnumNames.TryParse(t, text.Trim(), out var choice)
                ? choice
                : throw new ConfigException(key.Name, $"'{text.Trim()}' is not one of: {string.Join(", ", key.Allowed)}");
        var value = ParseScalar(key, t, text);
        if (value is string str && key.Meta.Allowed.Length > 0 && !key.Meta.Allowed.Contains(str))
            throw new ConfigException(key.Name, $"'{str}' is not one of: {string.Join(", ", key.Meta.Allowed)}");
        return value;
    }

    public static string TypeName(Type t) =>
        t == typeof(int) ? "integer" : t == typeof(double) ? "number" : t == typeof(bool) ? "boolean"
        : t == typeof(int[]) ? "list of integers" : t == typeof(string[]) ? "list of strings" : "string";

    /// <summary>The value formatted for YAML/JSON/--set (invariant culture, round-trippable).</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        int[] a => "[" + string.Join(", ", a.Select(x => x.ToString(CultureInfo.InvariantCulture))) + "]",
        string[] a => "[" + string.Join(", ", a) + "]",
        Enum e => e.Name(),
        _ => value.ToString() ?? "",
    };

    private static object ParseScalar(Key key, Type t, string text)
    {
        text = text.Trim();
        if (t == typeof(string))
            return text;
        if (t == typeof(bool))
        {
            switch (text.ToLowerInvariant())
            {
                case "true" or "yes" or "on" or "1": return true;
                case "false" or "no" or "off" or "0": return false;
                default: throw new ConfigException(key.Name, $"expected a boolean (true/false), got '{text}'");
            }
        }
        if (t == typeof(int))
        {
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) return i;
            // "1e3" or "20.0" are integers written as floats: accept them when exact.
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue)
                return (int)d;
            throw new ConfigException(key.Name, $"expected an integer, got '{text}'");
        }
        if (t == typeof(double))
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
            throw new ConfigException(key.Name, $"expected a number, got '{text}'");
        }
        throw new ConfigException(key.Name, $"unsupported type {t.Name}");
    }

    private static List<string> SplitList(string s)
    {
        s = s.Trim();
        if (s.StartsWith('[') && s.EndsWith(']')) s = s[1..^1];
        return s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(x => x.Trim('\'', '"')).ToList();
    }

    /// <summary>Longest unknown key a suggestion is searched for: the edit distance is quadratic, and no key is near this long.</summary>
    public const int MaxSuggestedKeyChars = 64;

    private static string Suggest(string name)
    {
        if (name.Length > MaxSuggestedKeyChars) return "";
        var best = All.Select(k => (k.Name, d: Distance(k.Name, name))).OrderBy(x => x.d).First();
        return best.d <= Math.Max(2, name.Length / 4) ? $" (did you mean '{best.Name}'?)" : "";
    }

    private static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
