using System.Globalization;

namespace VptSp.Core.Training;

/// <summary>
/// <see cref="StepProgress"/> as people read it — the run's log, the CLI and the dashboard all write it here:
/// "epoch 2/12 · step 11/29 of the epoch · loss 0.4375 · lr 0.001 · 61.5 img/s · ETA 1:33" ("ETA —" until the ETA is
/// ready). <c>epochs</c> is the run's planned epoch count; 0 derives it from the record when it can.
/// </summary>
public static class ProgressText
{
    /// <summary>The whole line.</summary>
    public static string Line(StepProgress p, int epochs = 0) => string.Create(CultureInfo.InvariantCulture,
        $"{Position(p, epochs)} · loss {p.Loss:F4} · lr {p.LearningRate:G3} · {p.ImagesPerSecond:F1} img/s · {Eta(p)}");

    /// <summary>"epoch 2/12 · step 11/29 of the epoch" ("epoch 2/12 · step 40" while the epoch's length is unknown).</summary>
    public static string Position(StepProgress p, int epochs = 0)
    {
        var planned = Epochs(p, epochs);
        var perEpoch = StepsPerEpoch(p, planned);
        var epoch = planned > 0 ? $"epoch {p.Epoch}/{planned}" : $"epoch {p.Epoch}";
        return perEpoch == 0 ? $"{epoch} · step {p.Step}" : $"{epoch} · step {StepInEpoch(p, planned)}/{perEpoch} of the epoch";
    }

    /// <summary>"ETA 12:34", or "ETA —" without progress or while the estimate still carries the warm-up.</summary>
    public static string Eta(StepProgress? p) => p is { EtaReady: true } ? "ETA " + Duration(p.Eta) : "ETA —";

    /// <summary>"m:ss", or "h:mm:ss" from an hour on (negative: 0:00).</summary>
    public static string Duration(TimeSpan d)
    {
        var t = d < TimeSpan.Zero ? TimeSpan.Zero : d;
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}" : $"{t.Minutes}:{t.Seconds:00}";
    }

    /// <summary>Share of the whole run done, 0–100.</summary>
    public static double Percent(StepProgress p) => p.TotalSteps <= 0 ? 0 : Math.Clamp(100.0 * p.Step / p.TotalSteps, 0, 100);

    /// <summary>Steps per epoch: as reported, else derived from the total (0 when neither is known).</summary>
    public static int StepsPerEpoch(StepProgress p, int epochs) =>
        p.StepsPerEpoch > 0 ? p.StepsPerEpoch
        : epochs > 0 && p.TotalSteps > 0 && p.TotalSteps % epochs == 0 ? p.TotalSteps / epochs
        : 0;

    /// <summary>The step within its epoch (1-based), from the global step.</summary>
    public static int StepInEpoch(StepProgress p, int epochs)
    {
        var perEpoch = StepsPerEpoch(p, epochs);
        return perEpoch == 0 ? p.Step : p.Step - (p.Epoch - 1) * perEpoch;
    }

    /// <summary>
    /// The 1-based epoch after which the engine first evaluates: eval_start counts epochs from 0 and the last epoch is
    /// always evaluated (as the trainer does).
    /// </summary>
    public static int FirstEvaluatedEpoch(int evalStart, int epochs) => Math.Min(Math.Max(evalStart, 0), Math.Max(epochs - 1, 0)) + 1;

    /// <summary>
    /// Time until the end of <paramref name="evaluatedEpoch"/> (when its evaluation starts), at the pace the ETA assumes;
    /// null while the ETA is not ready or once that epoch has been trained.
    /// </summary>
    public static TimeSpan? UntilEvaluation(StepProgress p, int epochs, int evaluatedEpoch)
    {
        var perEpoch = StepsPerEpoch(p, epochs);
        var remaining = p.TotalSteps - p.Step;
        var toEpochEnd = evaluatedEpoch * perEpoch - p.Step;
        if (!p.EtaReady || perEpoch == 0 || remaining <= 0 || toEpochEnd < 0) return null;
        return TimeSpan.FromTicks((long)((double)p.Eta.Ticks * toEpochEnd / remaining));
    }

    /// <summary>"first evaluation after epoch 3, in ≈ 4:10" (or without the time while it is unknown).</summary>
    public static string FirstEvaluation(StepProgress? p, int epochs, int evaluatedEpoch)
    {
        var text = $"first evaluation after epoch {evaluatedEpoch}";
        return p is not null && UntilEvaluation(p, epochs, evaluatedEpoch) is { } due ? $"{text}, in ≈ {Duration(due)}" : text;
    }

    // The planned epochs, else the record's own total / per-epoch when both are known.
    private static int Epochs(StepProgress p, int epochs) =>
        epochs > 0 ? epochs : p.StepsPerEpoch > 0 && p.TotalSteps > 0 ? p.TotalSteps / p.StepsPerEpoch : 0;
}
