using VptSp.Runs;

namespace VptSp.Web.Components.Shared;

/// <summary>
/// The one progress model of the Runs list and the run page: "epoch e/E · step s/S of the epoch", one ETA
/// (the engine's, shown as "ETA —" until it is meaningful) and the time until the first evaluation.
/// </summary>
public static class RunProgressText
{
    /// <summary>Steps per epoch: reported by the engine, else derived from the total (0 when neither is known).</summary>
    public static int StepsPerEpoch(StepProgressEvent p, int epochsPlanned) =>
        p.StepsPerEpoch > 0 ? p.StepsPerEpoch
        : epochsPlanned > 0 && p.TotalSteps > 0 && p.TotalSteps % epochsPlanned == 0 ? p.TotalSteps / epochsPlanned
        : 0;

    /// <summary>The step within its epoch (1-based), from the global step.</summary>
    public static int StepInEpoch(StepProgressEvent p, int epochsPlanned)
    {
        var perEpoch = StepsPerEpoch(p, epochsPlanned);
        return perEpoch == 0 ? p.Step : p.Step - (p.Epoch - 1) * perEpoch;
    }

    /// <summary>"epoch 2/12 · step 11/29 of the epoch" ("epoch 2/12 · step 40" while the epoch's length is unknown).</summary>
    public static string Position(StepProgressEvent p, int epochsPlanned)
    {
        var perEpoch = StepsPerEpoch(p, epochsPlanned);
        var epoch = epochsPlanned > 0 ? $"epoch {p.Epoch}/{epochsPlanned}" : $"epoch {p.Epoch}";
        return perEpoch == 0 ? $"{epoch} · step {p.Step}" : $"{epoch} · step {StepInEpoch(p, epochsPlanned)}/{perEpoch} of the epoch";
    }

    /// <summary>Share of the whole run done, 0–100.</summary>
    public static double Percent(StepProgressEvent p) => p.TotalSteps <= 0 ? 0 : Math.Clamp(100.0 * p.Step / p.TotalSteps, 0, 100);

    /// <summary>"ETA 12:34", or "ETA —" without progress or while the estimate still carries the warm-up.</summary>
    public static string Eta(StepProgressEvent? p) => p is { EtaReady: true } ? "ETA " + RunFormat.Duration(p.Eta) : "ETA —";

    /// <summary>
    /// The 1-based epoch after which the engine first evaluates: eval_start counts epochs from 0 and the last epoch is
    /// always evaluated.
    /// </summary>
    public static int FirstEvaluatedEpoch(int evalStart, int epochs) => Math.Min(Math.Max(evalStart, 0), Math.Max(epochs - 1, 0)) + 1;

    /// <summary>
    /// Time until the end of <paramref name="evaluatedEpoch"/> (when its evaluation starts), at the pace the ETA assumes;
    /// null while the ETA is not ready or once that epoch has been trained.
    /// </summary>
    public static TimeSpan? UntilEvaluation(StepProgressEvent p, int epochsPlanned, int evaluatedEpoch)
    {
        var perEpoch = StepsPerEpoch(p, epochsPlanned);
        var remaining = p.TotalSteps - p.Step;
        var toEpochEnd = evaluatedEpoch * perEpoch - p.Step;
        if (!p.EtaReady || perEpoch == 0 || remaining <= 0 || toEpochEnd < 0) return null;
        return TimeSpan.FromTicks((long)((double)p.Eta.Ticks * toEpochEnd / remaining));
    }

    /// <summary>"first evaluation after epoch 3, in ≈ 4:10" (or without the time while it is unknown).</summary>
    public static string FirstEvaluation(StepProgressEvent? p, int epochsPlanned, int evaluatedEpoch)
    {
        var text = $"first evaluation after epoch {evaluatedEpoch}";
        return p is not null && UntilEvaluation(p, epochsPlanned, evaluatedEpoch) is { } due ? $"{text}, in ≈ {RunFormat.Duration(due)}" : text;
    }
}
