using VptSp.Core.Modeling;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Modeling;

public class VisionTransformerTests
{
    /// <summary>timm's vision_transformer state dict for a ViT of width d, depth L, MLP hidden h, patch p, N tokens, written out by hand.</summary>
    private static List<(string Key, long[] Shape)> TimmKeys(long d, int depth, long h, long p, long tokens, int classes)
    {
        var keys = new List<(string, long[])>
        {
            ("cls_token", new[] { 1L, 1, d }),
            ("pos_embed", new[] { 1L, tokens, d }),
            ("patch_embed.proj.weight", new[] { d, 3, p, p }),
            ("patch_embed.proj.bias", new[] { d }),
        };
        for (var i = 0; i < depth; i++)
        {
            keys.Add(($"blocks.{i}.norm1.weight", new[] { d }));
            keys.Add(($"blocks.{i}.norm1.bias", new[] { d }));
            keys.Add(($"blocks.{i}.attn.qkv.weight", new[] { 3 * d, d }));
            keys.Add(($"blocks.{i}.attn.qkv.bias", new[] { 3 * d }));
            keys.Add(($"blocks.{i}.attn.proj.weight", new[] { d, d }));
            keys.Add(($"blocks.{i}.attn.proj.bias", new[] { d }));
            keys.Add(($"blocks.{i}.norm2.weight", new[] { d }));
            keys.Add(($"blocks.{i}.norm2.bias", new[] { d }));
            keys.Add(($"blocks.{i}.mlp.fc1.weight", new[] { h, d }));
            keys.Add(($"blocks.{i}.mlp.fc1.bias", new[] { h }));
            keys.Add(($"blocks.{i}.mlp.fc2.weight", new[] { d, h }));
            keys.Add(($"blocks.{i}.mlp.fc2.bias", new[] { d }));
        }
        keys.Add(("norm.weight", new[] { d }));
        keys.Add(("norm.bias", new[] { d }));
        if (classes > 0)
        {
            keys.Add(("head.weight", new[] { (long)classes, d }));
            keys.Add(("head.bias", new[] { (long)classes }));
        }
        return keys;
    }

    private static void AssertTimmLayout(VisionTransformer vit, List<(string Key, long[] Shape)> expected)
    {
        var actual = vit.state_dict();
        Assert.Equal(expected.Select(k => k.Key).OrderBy(k => k, StringComparer.Ordinal),
            actual.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (key, shape) in expected)
            Assert.True(shape.SequenceEqual(actual[key].shape), $"{key}: [{string.Join(", ", actual[key].shape)}]");
    }

    [Fact]
    public void TestPresetStateDictHasTimmKeysAndShapes()
    {
        using var vit = new VisionTransformer(VitPresets.Get("vit_test_patch8_32"));
        AssertTimmLayout(vit, TimmKeys(32, 2, 128, 8, 17, 0));
    }

    [Fact]
    public void FixtureShapedModelWithHeadHasTimmKeysAndShapes()
    {
        using var vit = new VisionTransformer(TinyVitFixture.Spec());
        AssertTimmLayout(vit, TimmKeys(48, 2, 192, 8, 17, 5));
    }

    [Fact]
    public void VitSmallHasTimmKeysShapesAndParameterCount()
    {
        var spec = VitPresets.Get("vit_small_patch16_224");
        using var vit = new VisionTransformer(spec);
        AssertTimmLayout(vit, TimmKeys(384, 12, 1536, 16, 197, 0));
        Assert.Equal(21_665_664L, vit.parameters().Sum(p => p.numel()));
        Assert.Equal(21_665_664L, VisionTransformer.CountParameters(spec));
    }

    [Fact]
    public void VitBaseParameterCountFromTimmShapesIs85798656()
    {
        var spec = VitPresets.Get("vit_base_patch16_224_in21k");
        Assert.Equal(85_798_656L, VisionTransformer.CountParameters(spec));
        Assert.Equal(85_798_656L, TimmKeys(768, 12, 3072, 16, 197, 0).Sum(k => k.Shape.Aggregate(1L, (a, b) => a * b)));
    }

    [Fact]
    public void PresetsCarryTheirPretrainedNormalisation()
    {
        Assert.Equal(new[] { 0.5f, 0.5f, 0.5f }, VitPresets.Get("vit_small_patch16_224_in21k").Mean);
        Assert.Equal(new[] { 0.5f, 0.5f, 0.5f }, VitPresets.Get("vit_base_patch16_224.augreg_in21k").Std);
        Assert.Equal(VitPresets.ImageNetMean, VitPresets.Get("vit_small_patch16_224.dino").Mean);
        var demo = VitPresets.Get("vit_demo_patch8_64");
        Assert.Equal((64, 8, 192, 6, 3), (demo.ImgSize, demo.PatchSize, demo.EmbedDim, demo.Depth, demo.NumHeads));
        Assert.Equal(VitPresets.ImageNetStd, demo.Std);
        Assert.Equal("bicubic", demo.Interpolation);
    }

    [Fact]
    public void UnknownPresetIsNamedAndKnownOnesListed()
    {
        var ex = Assert.Throws<ArgumentException>(() => VitPresets.Get("vit_huge_patch99"));
        Assert.Contains("vit_huge_patch99", ex.Message);
        Assert.Contains("vit_small_patch16_224_in21k", ex.Message);
    }

    [Fact]
    public void PromptTokensAreRemovedAfterEachBlock()
    {
        manual_seed(1);
        using var vit = new VisionTransformer(VitPresets.Get("vit_test_patch8_32"));
        vit.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = vit.EmbedTokens(randn(2, 3, 32, 32));
        var p = randn(2, 3, 32);
        var y = vit.ForwardBlock(0, x, p);
        Assert.Equal(new long[] { 2, 17, 32 }, y.shape);
        // the kept tokens are the last 17 outputs of the block run on [prompts, x]
        var full = vit.BlockAt(0).call(cat(new[] { p, x }, 1));
        Assert.True(full.narrow(1, 3, 17).allclose(y, 1e-6, 1e-6));
        Assert.False(full.narrow(1, 0, 17).allclose(y, 1e-3, 1e-3));
        // shared 1×n×D prompts are expanded over the batch and also removed
        var shared = vit.ForwardFeatures(randn(2, 3, 32, 32), i => randn(1, 4 - i, 32));
        Assert.Equal(new long[] { 2, 17, 32 }, shared.shape);
    }
}
