using VptSp.Web.Components.Shared;
using VptSp.Runs;

namespace VptSp.Tests.Web.Components;

/// <summary>The progress model shared by the Runs list and the run page.</summary>
public sealed class RunProgressTextTests
{
    // 12 epochs of 29 steps = 348 steps; global step 40 is step 11 of epoch 2.
    private static StepProgressEvent At(int epoch, int step, TimeSpan eta, bool ready = true, int stepsPerEpoch = 29) =>
        new(1, epoch, step, 348, 2.5, 1e-3, 21.0, eta, stepsPerEpoch, ready);

    [Fact]
    public void PositionCountsStepsWithinTheEpoch()
    {
        Assert.Equal("epoch 2/12 · step 11/29 of the epoch", RunProgressText.Position(At(2, 40, TimeSpan.Zero), 12));
        Assert.Equal("epoch 1/12 · step 29/29 of the epoch", RunProgressText.Position(At(1, 29, TimeSpan.Zero), 12));
    }

    [Fact]
    public void PositionDerivesTheEpochLengthFromTheTotalWhenTheEngineDidNotSendIt()
    {
        Assert.Equal("epoch 2/12 · step 11/29 of the epoch", RunProgressText.Position(At(2, 40, TimeSpan.Zero, stepsPerEpoch: 0), 12));
    }

    [Fact]
    public void PositionFallsBackToTheGlobalStepWhenTheEpochLengthIsUnknown()
    {
        var p = new StepProgressEvent(1, 2, 40, 0, 2.5, 1e-3, 21.0, TimeSpan.Zero, EtaReady: false);
        Assert.Equal("epoch 2/12 · step 40", RunProgressText.Position(p, 12));
    }

    [Fact]
    public void EtaIsADashUntilItIsReady()
    {
        Assert.Equal("ETA —", RunProgressText.Eta(null));
        Assert.Equal("ETA —", RunProgressText.Eta(At(1, 2, TimeSpan.FromMinutes(40), ready: false)));
        Assert.Equal("ETA 33:05", RunProgressText.Eta(At(1, 5, TimeSpan.FromSeconds(33 * 60 + 5))));
        Assert.Equal("ETA 1:02:03", RunProgressText.Eta(At(1, 5, new TimeSpan(1, 2, 3))));
    }

    [Fact]
    public void PercentIsTheShareOfAllSteps() => Assert.Equal(25.0, RunProgressText.Percent(At(4, 87, TimeSpan.Zero)));

    [Theory]
    [InlineData(5, 12, 6)]   // eval_start 5 (0-based) → after epoch 6
    [InlineData(0, 1, 1)]
    [InlineData(20, 12, 12)] // the last epoch is always evaluated
    [InlineData(-3, 12, 1)]
    public void FirstEvaluatedEpochFollowsEvalStartAndTheLastEpoch(int evalStart, int epochs, int expected) =>
        Assert.Equal(expected, RunProgressText.FirstEvaluatedEpoch(evalStart, epochs));

    [Fact]
    public void FirstEvaluationIsDueAtTheEtaPaceAtTheEndOfItsEpoch()
    {
        // Step 40 of 348 with 308 steps left in 3080 s (10 s/step); epoch 6 ends at step 174: 134 steps → 1340 s = 22:20.
        var p = At(2, 40, TimeSpan.FromSeconds(3080));
        Assert.Equal(TimeSpan.FromSeconds(1340), RunProgressText.UntilEvaluation(p, 12, 6));
        Assert.Equal("first evaluation after epoch 6, in ≈ 22:20", RunProgressText.FirstEvaluation(p, 12, 6));
    }

    [Fact]
    public void FirstEvaluationHasNoTimeWhileTheEtaIsNotReadyOrTheEpochIsPast()
    {
        Assert.Equal("first evaluation after epoch 6", RunProgressText.FirstEvaluation(At(2, 40, TimeSpan.FromSeconds(3080), ready: false), 12, 6));
        Assert.Null(RunProgressText.UntilEvaluation(At(7, 180, TimeSpan.FromSeconds(100)), 12, 6));
        Assert.Equal("first evaluation after epoch 1", RunProgressText.FirstEvaluation(null, 12, 1));
    }
}
