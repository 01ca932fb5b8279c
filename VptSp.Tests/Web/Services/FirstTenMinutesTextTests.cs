using VptSp.Core.Evaluation.Baselines;
using VptSp.Core.Training;
using VptSp.Runs;
using VptSp.Web.Services.Baselines;
using VptSp.Web.Services.Launch;

namespace VptSp.Tests.Web.Services;

/// <summary>The lines a newcomer reads first: the demo's launch toast, the baselines line and the collapse hint.</summary>
public class FirstTenMinutesTextTests
{
    private static BaselineReport Report(params BaselineScore[] scores) =>
        new(BaselineReport.CurrentFormat, "emoji", "test", "f", 954, 477, scores, [], DateTimeOffset.UnixEpoch);

    [Fact]
    public void TheDemoToastSaysWhichRunStartsWhenNotTwoQueuePositions()
    {
        var text = DemoLaunchService.Message(quick: true, new SubmitResult(1, RunState.Queued, 1), new SubmitResult(2, RunState.Queued, 1));
        Assert.Equal("Queued the quick demo: run #1 (pre-training, starts next) and run #2 (VPTSP-G on its backbone, starts after #1).", text);
        Assert.DoesNotContain("position", text);
    }

    [Fact]
    public void TheDemoToastCountsTheRunsAheadOfThePretraining()
    {
        var text = DemoLaunchService.Message(quick: false, new SubmitResult(7, RunState.Queued, 3), new SubmitResult(8, RunState.Queued, 4));
        Assert.Equal("Queued the demo: run #7 (pre-training, starts after the 2 runs queued before it) and run #8 (VPTSP-G on its backbone, starts after #7).", text);
    }

    [Fact]
    public void TheBaselinesLinePutsTheRunFirstAndChanceLast()
    {
        var report = Report(new BaselineScore("chance", "chance", 0.00105, 0.0021, 0.001),
            new BaselineScore("pixels8", "raw pixels 8×8", 0.289, 0.382, 0.289),
            new BaselineScore("pixels64", "raw pixels 64×64", 0.188, 0.251, 0.188));
        Assert.Equal("this run: 9.7 % R@1 · raw pixels 8×8: 28.9 % · raw pixels 64×64: 18.8 % · chance: 0.1 %", BaselineText.Line(0.0971, report));
        Assert.Equal("this run: not evaluated yet · raw pixels 8×8: 28.9 % · raw pixels 64×64: 18.8 % · chance: 0.1 %", BaselineText.Line(null, report));

        var baselines = new RunBaselines(1, 0.0971, report, IsDemo: true);
        Assert.Equal("pixels8", baselines.Best!.Key);
        Assert.True(baselines.BelowBest);
    }

    [Fact]
    public void TheZeroShotScoreFollowsTheRunAndCountsAsABaselineToBeat()
    {
        var report = Report(new BaselineScore("chance", "chance", 0.00105, 0.0021, 0.001),
            new BaselineScore("pixels8", "raw pixels 8×8", 0.289, 0.382, 0.289));
        var zeroShot = new ZeroShotReport(ZeroShotReport.CurrentFormat, "f", "vit_demo_patch8_64, emoji_vit.safetensors",
            new BaselineScore("zeroshot", "zero-shot backbone", 0.412, 0.5, 0.3), DateTimeOffset.UnixEpoch);
        var baselines = new RunBaselines(1, 0.35, report, IsDemo: false, zeroShot);
        Assert.Equal("this run: 35.0 % R@1 · zero-shot backbone: 41.2 % · raw pixels 8×8: 28.9 % · chance: 0.1 %", baselines.Line);
        Assert.Equal("zeroshot", baselines.Best!.Key);
        Assert.True(baselines.BelowBest);
        Assert.False(new RunBaselines(1, 0.35, report, IsDemo: false).BelowBest); // above pixels once zero-shot is absent
    }

    [Fact]
    public void OnlyACollapsedEmbeddingGetsAHint()
    {
        Assert.Null(BaselineText.CollapseHint(new EmbeddingSpread(100, 0.40)));
        var hint = BaselineText.CollapseHint(new EmbeddingSpread(100, 0.998));
        Assert.NotNull(hint);
        Assert.Contains("collapsed", hint);
        Assert.Contains("0.998", hint);
    }
}
