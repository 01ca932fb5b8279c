using System.Globalization;
using VptSp.Core.Training;

namespace VptSp.Web.Components.Shared;

/// <summary>Display helpers shared by the run pages: counts, percentages, durations, metric names.</summary>
public static class RunFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Count(long n) => n switch
    {
        >= 1_000_000_000 => (n / 1e9).ToString("0.##", Inv) + "B",
        >= 1_000_000 => (n / 1e6).ToString("0.##", Inv) + "M",
        >= 10_000 => (n / 1e3).ToString("0.#", Inv) + "K",
        _ => n.ToString("N0", Inv),
    };

    public static string Percent(double p) => p switch
    {
        0 => "0 %",
        < 0.01 => "<0.01 %",
        < 10 => p.ToString("0.00", Inv) + " %",
        _ => p.ToString("0.0", Inv) + " %",
    };

    /// <summary>"123K (0.57 %)", or "—" before the run has counted its parameters.</summary>
    public static string Trainable(long trainable, long total) =>
        total == 0 ? "—" : $"{Count(trainable)} ({Percent(100.0 * trainable / total)})";

    public static string Metric(double? v) => v is null ? "—" : (100 * v.Value).ToString("0.00", Inv);

    public static string Number(double v) => Math.Abs(v) is >= 1e-3 and < 1e5 or 0 ? v.ToString("0.####", Inv) : v.ToString("0.###e0", Inv);

    public static string Duration(TimeSpan? d) => d is null ? "—" : ProgressText.Duration(d.Value);

    public static string ShortTime(DateTimeOffset? t) => t is null ? "—" : t.Value.UtcDateTime.ToString("MM-dd HH:mm", Inv);

    public static string Time(DateTimeOffset? t) => t is null ? "—" : t.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Inv);

    /// <summary>Display name of a metric key: e_recall@1 → R@1, mAP_R → MAP@R, nmi → NMI, f1 → F1.</summary>
    public static string MetricName(string key)
    {
        var k = key.ToLowerInvariant();
        if (k.StartsWith("e_recall@")) return "R@" + key["e_recall@".Length..];
        if (k.StartsWith("recall@")) return "R@" + key["recall@".Length..];
        return k switch
        {
            "map_r" or "map@r" or "mapr" => "MAP@R",
            "nmi" => "NMI",
            "f1" => "F1",
            _ => key,
        };
    }

    /// <summary>The value of a metric by its display name (R@1, MAP@R, NMI, F1) whatever the key spelling.</summary>
    public static double? Find(IReadOnlyDictionary<string, double> metrics, string displayName)
    {
        foreach (var (k, v) in metrics)
            if (string.Equals(MetricName(k), displayName, StringComparison.OrdinalIgnoreCase)) return v;
        return null;
    }

    /// <summary>The metrics the run pages chart, in order; NMI and F1 appear only when present.</summary>
    public static readonly string[] ChartedMetrics = ["R@1", "MAP@R", "NMI", "F1"];
}
