namespace VptSp.Core.Training;

/// <summary>
/// The learning rate of an epoch under the config's scheduler, in closed form (stepped once per epoch,
/// epoch 0 = the first): the same values PyTorch's CosineAnnealingLR, StepLR, MultiStepLR and LinearLR
/// give after <c>epoch</c> scheduler steps. Closed form makes resume exact: nothing to checkpoint.
/// </summary>
public static class LrSchedule
{
    public static double At(TrainingConfig c, double baseLr, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return c.Scheduler switch
        {
            SchedulerKind.Cosine => Cosine(baseLr, c.LrCosineMin, c.LrCosineLength, epoch),
            SchedulerKind.Step => baseLr * Math.Pow(c.LrReduceRate, epoch / c.LrReduceStep),
            SchedulerKind.Multi => baseLr * Math.Pow(c.LrReduceRate, c.LrReduceMultiSteps.Count(m => m <= epoch)),
            SchedulerKind.Linear => baseLr * Linear(c.LrLinearStart, c.LrLinearEnd, c.LrLinearLength, epoch),
            SchedulerKind.None => baseLr,
            _ => throw new ConfigException("scheduler", $"unknown scheduler {c.Scheduler}"),
        };
    }

    /// <summary>
    /// The proxy optimiser's learning rate: the reference (main.py) gives it its own CosineAnnealingLR(T_max =
    /// lr_cosine_length, eta_min = lr_cosine_min) whatever <c>scheduler</c> says, stepped only when <c>scheduler</c>
    /// is not none; it never reads <c>same_p_scheduler</c>.
    /// </summary>
    public static double ProxyAt(TrainingConfig c, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return c.Scheduler == SchedulerKind.None ? c.LrProxy : Cosine(c.LrProxy, c.LrCosineMin, c.LrCosineLength, epoch);
    }

    /// <summary>CosineAnnealingLR: eta_min + (base − eta_min)(1 + cos(π·e/T))/2; past T it continues the cosine, as PyTorch's recursion does.</summary>
    private static double Cosine(double baseLr, double etaMin, int tMax, int epoch) =>
        etaMin + (baseLr - etaMin) * (1 + Math.Cos(Math.PI * epoch / tMax)) / 2;

    private static double Linear(double start, double end, int length, int epoch) =>
        start + (end - start) * Math.Min(epoch, length) / length;
}
