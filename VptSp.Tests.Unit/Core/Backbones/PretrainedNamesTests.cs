using VptSp.Core.Backbones.Hub;
using VptSp.Core.Modeling;

namespace VptSp.Tests.Core.Backbones;

public sealed class PretrainedNamesTests
{
    [Theory]
    [InlineData("vit_small_patch16_224_in21k", "timm/vit_small_patch16_224.augreg_in21k")]
    [InlineData("vit_base_patch16_224_in21k", "timm/vit_base_patch16_224.augreg_in21k")]
    [InlineData("vit_small_patch16_224.augreg_in21k", "timm/vit_small_patch16_224.augreg_in21k")]
    [InlineData("vit_small_patch16_224", "timm/vit_small_patch16_224.augreg_in21k_ft_in1k")]
    [InlineData("vit_base_patch16_224", "timm/vit_base_patch16_224.augreg2_in21k_ft_in1k")]
    [InlineData("deit_small_patch16_224", "timm/deit_small_patch16_224.fb_in1k")]
    [InlineData("vit_small_patch14_dinov2", "timm/vit_small_patch14_dinov2.lvd142m")]
    [InlineData("vit_small_patch14_reg4_dinov2.lvd142m", "timm/vit_small_patch14_reg4_dinov2.lvd142m")]
    [InlineData("vit_base_patch16_clip_224.laion2b", "timm/vit_base_patch16_clip_224.laion2b")]
    [InlineData("vit_base_patch16_clip_quickgelu_224.openai", "timm/vit_base_patch16_clip_224.openai")] // timm's hf_hub_id
    public void TimmNamesAliasesAndUntaggedNamesResolveToTheirHubRepo(string name, string repo) =>
        Assert.Equal(repo, PretrainedNames.Resolve(name)!.Repo);

    [Theory]
    [InlineData("vit_demo_patch8_64")]
    [InlineData("vit_test_patch8_32")]
    public void TheDemoAndTestViTsHaveNoPublishedWeights(string name) => Assert.False(PretrainedNames.HasWeights(name));

    [Fact]
    public void AnUnknownArchitectureIsRefused() =>
        Assert.Throws<ArgumentException>(() => PretrainedNames.Resolve("vit_huge_patch99.x"));

    [Fact]
    public void PretrainedCfgSetsMeanStdInterpolationAndCropButNotTheArchitecture()
    {
        var spec = PretrainedCfg.Apply(VitPresets.Get("vit_test_patch8_32"), HubFixture.ConfigJson);
        Assert.Equal([0.5f, 0.5f, 0.5f], spec.Mean);
        Assert.Equal([0.25f, 0.25f, 0.25f], spec.Std);
        Assert.Equal("bilinear", spec.Interpolation);
        Assert.Equal(1.0, spec.CropPct);
        Assert.Equal(32, spec.EmbedDim);
    }

    [Fact]
    public void QuotedAndWeakEtagsAreStoredBare()
    {
        Assert.Equal("abc", HubClient.Normalize("\"abc\""));
        Assert.Equal("abc", HubClient.Normalize("W/\"abc\""));
    }
}
