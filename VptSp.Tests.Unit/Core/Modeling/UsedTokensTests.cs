using VptSp.Core.Training;
using VptSp.Core.Modeling;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Modeling;

/// <summary>
/// The inference shortcut that computes only what the class token reads (no prompt-token outputs, the class token alone in the
/// last block) must give the full forward's numbers.
/// </summary>
public class UsedTokensTests
{
    private static double MaxAbs(Tensor a, Tensor b) => a.to(ScalarType.Float32).sub(b.to(ScalarType.Float32)).abs().max().item<float>();

    [Fact]
    public void DenseRowsEqualTheMatchingSliceOfTheFullOutput()
    {
        using var seed = Init.Seeded(4);
        using var dense = new Dense("qkv", 8, 24);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = randn(3, 5, 8);
        var full = dense.call(x);
        var rows = dense.ForwardRows(x, 8, 16);
        Assert.Equal(new long[] { 3, 5, 16 }, rows.shape);
        Assert.True(MaxAbs(full.narrow(2, 8, 16), rows) < 1e-6, $"max diff {MaxAbs(full.narrow(2, 8, 16), rows)}");
    }

    [Theory]
    [InlineData(null, 0, 1)]
    [InlineData(null, 3, 1)]
    [InlineData(null, 4, 3)]
    [InlineData("sequential", 2, 5)]
    [InlineData("parallel", 6, 1)]
    public void SomeTokensPathsThroughABlockEqualThoseRowsOfTheFullBlock(string? adapter, long start, long count)
    {
        using var seed = Init.Seeded(5);
        var options = adapter is null ? null : TinyModels.Adapter(("adapter_option", adapter), ("adapter_num_blocks", "1"),
            ("adapter_bottleneck_dim", "4"), ("adapter_init_option", "bert"), ("adapter_ln_position", "pre"));
        using var block = new Block("0", 32, 4, 64, options);
        block.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = randn(2, 7, 32);
        var full = block.call(x).narrow(1, start, count);
        var some = block.ForwardTokens(x, start, count);
        Assert.Equal(new long[] { 2, count, 32 }, some.shape);
        Assert.True(MaxAbs(full, some) < 1e-5, $"max diff {MaxAbs(full, some)}");
        // the neighbouring rows are really different, so the comparison can fail
        Assert.True(MaxAbs(block.call(x).narrow(1, (start + 1) % (8 - count), count), some) > 1e-2);
    }

    [Fact]
    public void UsedTokensOnlyFeaturesEqualTheClassTokenOfTheFullForwardWithPrompts()
    {
        manual_seed(6);
        using var vit = new VisionTransformer(VitPresets.Get("vit_test_patch8_32"));
        vit.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var images = randn(3, 3, 32, 32);
        var prompts = new[] { randn(1, 4, 32), randn(1, 3, 32) };
        var full = vit.ForwardFeatures(images, i => prompts[i]);
        var cls = vit.ForwardFeatures(images, i => prompts[i], usedTokensOnly: true);
        Assert.Equal(new long[] { 3, 1, 32 }, cls.shape);
        Assert.True(MaxAbs(full.narrow(1, 0, 1), cls) < 1e-5, $"max diff {MaxAbs(full.narrow(1, 0, 1), cls)}");
        var plain = vit.ForwardFeatures(images, usedTokensOnly: true);   // no prompts: the class token is token 0
        Assert.True(MaxAbs(vit.ForwardFeatures(images).narrow(1, 0, 1), plain) < 1e-5);
        // one block with prompts, only the image tokens' outputs computed: the same B×N×D as computing all and dropping the prompts
        var x = vit.EmbedTokens(images);
        var kept = vit.ForwardBlock(0, x, prompts[0], usedTokensOnly: true);
        Assert.Equal(new long[] { 3, 17, 32 }, kept.shape);
        Assert.True(MaxAbs(vit.ForwardBlock(0, x, prompts[0]), kept) < 1e-5);
    }

    [Theory]
    [InlineData("vpt", false)]
    [InlineData("vptsp_g", false)]
    [InlineData("adapter", false)]
    [InlineData("vpt", true)]
    public void EmbeddingsWithTheShortcutEqualTheFullComputation(string method, bool bf16)
    {
        using var model = new MetricModel(TinyModels.Options(method, c => c with { Bf16 = bf16 ? Bf16Mode.On : Bf16Mode.Off }));
        var x = randn(4, 3, 32, 32, generator: new Generator(9));
        model.UsedTokensOnly = false;
        using var full = model.Embed(x);
        model.UsedTokensOnly = true;
        using var fast = model.Embed(x);
        // fp32: the same sums in another blocking; bf16: a product output may round to the neighbouring bf16 value (2⁻⁸ relative)
        var tolerance = bf16 ? 1e-2 : 1e-5;
        Assert.True(MaxAbs(full, fast) < tolerance, $"max diff {MaxAbs(full, fast)}");
    }

    [Fact]
    public void EmbedRunsTheMlpOnImageTokensOnlyAndTheClassTokenAloneInTheLastBlockWhileTrainingRunsEveryToken()
    {
        using var model = new MetricModel(TinyModels.Options("vpt"));
        var rows = new List<long>();
        var hooks = new[] { "backbone.blocks.0.mlp.fc1", "backbone.blocks.1.mlp.fc1" }
            .Select(n => ((Dense)model.named_modules().Single(m => m.name == n).module).register_forward_pre_hook((_, x) => { rows.Add(x.shape[1]); return x; }))
            .ToList();
        var x = randn(2, 3, 32, 32);
        using (model.Embed(x)) { }
        model.UsedTokensOnly = false;
        using (model.Embed(x)) { }
        model.train();
        using (var scope = NewDisposeScope()) model.ForwardTrain(x, tensor(new long[] { 0, 0 }));
        hooks.ForEach(h => h.remove());
        // 17 image tokens; block 0 adds 4 prompts, block 1 adds 3 (the block step is 1)
        Assert.Equal(new long[] { 17, 1, 21, 20, 21, 20 }, rows);
    }
}
