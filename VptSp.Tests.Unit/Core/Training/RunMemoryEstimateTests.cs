using TorchSharp;
using VptSp.Core.Modeling;
using VptSp.Core.Training;
using VptSp.Core.Training.Optimization;

namespace VptSp.Tests.Core.Training;

/// <summary>The run memory estimate, term by term, against hand-computed values for the test ViT (32 px, patch 8, D 32, depth 2, 2 heads).</summary>
public sealed class RunMemoryEstimateTests
{
    private static readonly VitSpec Spec = VitPresets.Get("vit_test_patch8_32");

    [Fact]
    public void VitParametersMatchAHandCountAndTheRealModel()
    {
        // patch 3·64·32+32 = 6176, cls 32, pos 17·32 = 544, blocks 2·12704 = 25408, norm 64
        Assert.Equal(32224, RunMemoryEstimate.VitParameters(Spec));
        using var vit = new VisionTransformer(Spec);
        Assert.Equal(32224, vit.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void BlockActivationsMatchAHandCount() =>
        // T = 17, D = 32, H = 128, h = 2: 9·17·32 + 2·17·128 + 2·2·17² = 4896 + 4352 + 1156
        Assert.Equal(10404, RunMemoryEstimate.BlockActivations(Spec, RunMemoryEstimate.Tokens(Spec)));

    [Fact]
    public void EveryTermOfAPromptRunMatchesAHandComputation()
    {
        var c = new TrainingConfig
        {
            VitPrompt = true, NumPrompt = 2, PromptDepth = 2, EmbedDim = 16, BatchSize = 4, EvalBatchSize = 8, ImageCacheMb = 1,
            Optim = OptimizerKind.Sgd, FullFineTune = false,
        };
        var e = RunMemoryEstimate.For(c, Spec, evalImages: 100);
        // prompts 2·2·32 = 128, head 32·16+16 = 528; T = 19: 9·19·32 + 2·19·128 + 2·2·19² = 11780 per block and image
        Assert.Equal(4 * (32224 + 528 + 128), e.Parameters);     // 131520
        Assert.Equal(4 * (528 + 128) * 2, e.Training);           // gradient + SGD momentum: 5248
        Assert.Equal(4L * 4 * 11780 * 2, e.Activations);         // 376960
        Assert.Equal(1L << 20, e.ImageCache);
        Assert.Equal(4 * (8 * 11780 + 100 * 16), e.Evaluation);  // 383360
        Assert.Equal(1945664, e.Total);
        Assert.Equal(2, e.TotalMb);
        Assert.Equal("image_cache_mb", e.DominantKey);
    }

    [Fact]
    public void AFullAdamRunTrainsEveryParameterWithTwoMoments()
    {
        var e = RunMemoryEstimate.For(new TrainingConfig { FullFineTune = true, EmbedDim = 16, Optim = OptimizerKind.AdamW, ImageCacheMb = 0, BatchSize = 2 }, Spec);
        Assert.Equal(4L * (32224 + 528) * 3, e.Training);
        Assert.Equal(4L * 2 * 10404 * 2, e.Activations);
    }
}
