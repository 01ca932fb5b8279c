using System.Globalization;
using VptSp.Core.Evaluation.Baselines;

namespace VptSp.Web.Services.Baselines;

/// <summary>How baselines read on the pages (one formatting for the run page, Search and the embedding map).</summary>
public static class BaselineText
{
    /// <summary>The emoji demo's explanation, shown wherever its baselines are.</summary>
    public const string DemoExplanation =
        "This is the emoji demo: its backbone was pre-trained from scratch for minutes on the CPU, and such a backbone " +
        "cannot beat raw-pixel k-NN on this task (even ImageNet ResNet-18 features reach only about 34 % R@1). The demo " +
        "shows the workflow; real results need a real pre-trained backbone (README: the Backbones paragraph under Command line).";

    /// <summary>R@1 as a percentage with one decimal: 0.0971 → "9.7 %".</summary>
    public static string Percent(double fraction) => (100 * fraction).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    /// <summary>"this run: 9.7 % R@1 · zero-shot backbone: 6.0 % · raw pixels 8×8: 28.9 % · chance: 0.1 %": the run first, chance last.</summary>
    public static string Line(double? runRecallAt1, BaselineReport report, BaselineScore? zeroShot = null)
    {
        var parts = new List<string> { runRecallAt1 is { } r ? $"this run: {Percent(r)} R@1" : "this run: not evaluated yet" };
        if (zeroShot is not null) parts.Add($"{zeroShot.Name}: {Percent(zeroShot.RecallAt1)}");
        parts.AddRange(report.Scores.Where(s => s.Key != "chance").Select(s => $"{s.Name}: {Percent(s.RecallAt1)}"));
        if (report.Find("chance") is { } chance) parts.Add($"chance: {Percent(chance.RecallAt1)}");
        return string.Join(" · ", parts);
    }

    /// <summary>The collapse hint: "mean pairwise cosine 0.998 — …", or null when the embedding is spread out.</summary>
    public static string? CollapseHint(EmbeddingSpread spread) =>
        spread.Collapsed
            ? "The embedding has collapsed: the mean cosine between gallery images is " +
              spread.MeanPairwiseCosine.ToString("0.000", CultureInfo.InvariantCulture) + " (above " +
              EmbeddingSpread.CollapseThreshold.ToString("0.00", CultureInfo.InvariantCulture) + "), so every image looks " +
              "almost the same to this run and the neighbours' scores barely differ. Train longer or start from a stronger backbone."
            : null;
}
