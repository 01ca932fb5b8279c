namespace VptSp.Runs;

/// <summary>Which steps are stored: every step up to <c>keepAll</c>, then every <c>every</c>-th and each epoch's last.</summary>
public sealed record StepThinning(int KeepAll, int Every)
{
    public bool Keep(int step, int stepsPerEpoch) =>
        step <= KeepAll || step % Every == 0 || (stepsPerEpoch > 0 && step % stepsPerEpoch == 0);
}
