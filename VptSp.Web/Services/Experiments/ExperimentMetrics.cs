using System.Globalization;

namespace VptSp.Web.Services.Experiments;

/// <summary>Metric keys of the experiment views in a stable order: recall@K by K, map@r, map@r_ref, then the rest.</summary>
public static class ExperimentMetrics
{
    public const string MapAtR = "map@r";
    public const string MapAtRRef = "map@r_ref";

    public static IReadOnlyList<string> Order(IEnumerable<string> keys) =>
        keys.Distinct(StringComparer.Ordinal).OrderBy(Rank).ThenBy(RecallK).ThenBy(k => k, StringComparer.Ordinal).ToList();

    /// <summary>K of a recall@K key, else null.</summary>
    public static int? RecallOf(string key) =>
        key.StartsWith("recall@", StringComparison.Ordinal) && int.TryParse(key.AsSpan(7), NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) ? k : null;

    /// <summary>Display name: R@K; MAP@R labelled by which queries it averages over.</summary>
    public static string Label(string key) => key switch
    {
        MapAtR => "MAP@R",
        MapAtRRef => "MAP@R (ref.)",
        "nmi" => "NMI",
        "f1" => "F1",
        "map" => "mAP",
        _ => RecallOf(key) is { } k ? $"R@{k}" : key,
    };

    private static int Rank(string key) => RecallOf(key) is not null ? 0 : key == MapAtR ? 1 : key == MapAtRRef ? 2 : 3;

    private static int RecallK(string key) => RecallOf(key) ?? 0;
}
