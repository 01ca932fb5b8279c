using VptSp.Core.Evaluation.Baselines;

namespace VptSp.Web.Services.Baselines;

/// <summary>A run's best R@1 beside the baselines of the split it was evaluated on.</summary>
/// <param name="RunRecallAt1">The run's best R@1 (fraction), null until it has been evaluated.</param>
/// <param name="IsDemo">The emoji demo: its backbone was pre-trained for minutes on CPU (the page explains what that means).</param>
/// <param name="ZeroShot">The run's starting backbone scored without any tuning; null with <paramref name="ZeroShotNote"/> saying why.</param>
public sealed record RunBaselines(long RunId, double? RunRecallAt1, BaselineReport Report, bool IsDemo,
    ZeroShotReport? ZeroShot = null, string? ZeroShotNote = null)
{
    /// <summary>"this run: 9.7 % R@1 · zero-shot backbone: 6.0 % · raw pixels 8×8: 28.9 % · chance: 0.1 %" (chance last).</summary>
    public string Line => BaselineText.Line(RunRecallAt1, Report, ZeroShot?.Score);

    /// <summary>The strongest baseline's R@1, and whether the run is below it.</summary>
    public BaselineScore? Best => Report.Scores.Append(ZeroShot?.Score).OfType<BaselineScore>().MaxBy(s => s.RecallAt1);

    public bool BelowBest => RunRecallAt1 is { } r && Best is { } b && r < b.RecallAt1;
}
