using VptSp.Core.Training;

namespace VptSp.Tests.Core.Training;

/// <summary>The one progress text: the run's log, the CLI, the Runs list and the run page.</summary>
public sealed class ProgressTextTests
{
    // 12 epochs of 29 steps = 348 steps; global step 40 is step 11 of epoch 2.
    private static StepProgress At(int epoch, int step, TimeSpan eta, bool ready = true, int stepsPerEpoch = 29) =>
        new(epoch, step, stepsPerEpoch, 348, 2.5, 1e-3, 21.0, eta, ready);

    [Fact]
    public void LineShowsAWarmUpEtaAsADash() =>
        Assert.Equal("epoch 1/12 · step 2/29 of the epoch · loss 2.5000 · lr 0.001 · 21.0 img/s · ETA —",
            ProgressText.Line(At(1, 2, TimeSpan.FromMinutes(40), ready: false)));

    [Fact]
    public void LineShowsAReadyEtaAndTheRecordsOwnEpochCount()
    {
        var p = new StepProgress(2, 40, 29, 348, 0.4375, 2.5e-5, 61.54, TimeSpan.FromSeconds(93.4));
        Assert.Equal("epoch 2/12 · step 11/29 of the epoch · loss 0.4375 · lr 2.5E-05 · 61.5 img/s · ETA 1:33", ProgressText.Line(p));
        Assert.Equal("epoch 2/6 · step 11/29 of the epoch · loss 0.4375 · lr 2.5E-05 · 61.5 img/s · ETA 1:33", ProgressText.Line(p, 6));
    }

    [Fact]
    public void LineOfTheLastStepHasNothingLeft() =>
        Assert.Equal("epoch 12/12 · step 29/29 of the epoch · loss 0.1250 · lr 1E-06 · 20.0 img/s · ETA 0:00",
            ProgressText.Line(new StepProgress(12, 348, 29, 348, 0.125, 1e-6, 20, TimeSpan.Zero)));

    [Fact]
    public void PositionCountsStepsWithinTheEpoch()
    {
        Assert.Equal("epoch 2/12 · step 11/29 of the epoch", ProgressText.Position(At(2, 40, TimeSpan.Zero), 12));
        Assert.Equal("epoch 1/12 · step 29/29 of the epoch", ProgressText.Position(At(1, 29, TimeSpan.Zero), 12));
    }

    [Fact]
    public void PositionDerivesTheEpochLengthFromTheTotalWhenTheEngineDidNotSendIt()
    {
        Assert.Equal("epoch 2/12 · step 11/29 of the epoch", ProgressText.Position(At(2, 40, TimeSpan.Zero, stepsPerEpoch: 0), 12));
    }

    [Fact]
    public void PositionFallsBackToTheGlobalStepWhenTheEpochLengthIsUnknown()
    {
        var p = new StepProgress(2, 40, 0, 0, 2.5, 1e-3, 21.0, TimeSpan.Zero, EtaReady: false);
        Assert.Equal("epoch 2/12 · step 40", ProgressText.Position(p, 12));
        Assert.Equal("epoch 2 · step 40", ProgressText.Position(p));
    }

    [Fact]
    public void EtaIsADashUntilItIsReady()
    {
        Assert.Equal("ETA —", ProgressText.Eta(null));
        Assert.Equal("ETA —", ProgressText.Eta(At(1, 2, TimeSpan.FromMinutes(40), ready: false)));
        Assert.Equal("ETA 33:05", ProgressText.Eta(At(1, 5, TimeSpan.FromSeconds(33 * 60 + 5))));
        Assert.Equal("ETA 1:02:03", ProgressText.Eta(At(1, 5, new TimeSpan(1, 2, 3))));
    }

    [Fact]
    public void PercentIsTheShareOfAllSteps() => Assert.Equal(25.0, ProgressText.Percent(At(4, 87, TimeSpan.Zero)));

    [Theory]
    [InlineData(5, 12, 6)]   // eval_start 5 (0-based) → after epoch 6
    [InlineData(0, 1, 1)]
    [InlineData(20, 12, 12)] // the last epoch is always evaluated
    [InlineData(-3, 12, 1)]
    public void FirstEvaluatedEpochFollowsEvalStartAndTheLastEpoch(int evalStart, int epochs, int expected) =>
        Assert.Equal(expected, ProgressText.FirstEvaluatedEpoch(evalStart, epochs));

    [Fact]
    public void FirstEvaluationIsDueAtTheEtaPaceAtTheEndOfItsEpoch()
    {
        // Step 40 of 348 with 308 steps left in 3080 s (10 s/step); epoch 6 ends at step 174: 134 steps → 1340 s = 22:20.
        var p = At(2, 40, TimeSpan.FromSeconds(3080));
        Assert.Equal(TimeSpan.FromSeconds(1340), ProgressText.UntilEvaluation(p, 12, 6));
        Assert.Equal("first evaluation after epoch 6, in ≈ 22:20", ProgressText.FirstEvaluation(p, 12, 6));
    }

    [Fact]
    public void FirstEvaluationHasNoTimeWhileTheEtaIsNotReadyOrTheEpochIsPast()
    {
        Assert.Equal("first evaluation after epoch 6", ProgressText.FirstEvaluation(At(2, 40, TimeSpan.FromSeconds(3080), ready: false), 12, 6));
        Assert.Null(ProgressText.UntilEvaluation(At(7, 180, TimeSpan.FromSeconds(100)), 12, 6));
        Assert.Equal("first evaluation after epoch 1", ProgressText.FirstEvaluation(null, 12, 1));
    }

    [Fact]
    public void AStepEndsItsEpochOnItsLastStepOrTheRunsLast()
    {
        Assert.True(At(1, 29, TimeSpan.Zero).EndsEpoch);
        Assert.False(At(2, 40, TimeSpan.Zero).EndsEpoch);
        Assert.True(new StepProgress(3, 30, 0, 30, 1, 1, 1, TimeSpan.Zero).EndsEpoch); // per-epoch unknown: only the run's last
    }
}
