using VptSp.Core.Modeling;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Modeling;

/// <summary>
/// Forward parity against timm 0.9.16 for each backbone family on random weights: the fixture's timm state dict goes through
/// the real checkpoint import into a VisionTransformer built from the family's preset at tiny size; every token after the final
/// norm and the pooled class token must match timm's within 1e-5 (fp32, max abs difference).
/// </summary>
public class TimmFamilyParityTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string, string> Families => new()
    {
        { "deit", "deit_small_patch16_224" },
        { "dinov2", "vit_small_patch14_dinov2" },
        { "dinov2_reg4", "vit_small_patch14_reg4_dinov2" },
        { "dinov2_resample", "vit_base_patch14_dinov2" },
        { "dinov2_reg4_resample", "vit_small_patch14_reg4_dinov2" },
        { "clip", "vit_base_patch16_clip_224" },
        { "clip_quickgelu", "vit_base_patch16_clip_quickgelu_224" },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void ForwardFeaturesAndPooledClassTokenMatchTimm(string family, string preset)
    {
        var fx = TimmFamilyFixture.Load(family);
        var (vit, report) = fx.Import(fx.Spec(preset));
        using var _ = vit;
        Assert.Equal(fx.Resamples, report.PosEmbedResampled);
        Assert.Empty(report.FreshlyInitialised);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tokens = vit.ForwardFeatures(fx.Images());
        var tokenDiff = fx.MaxAbsDiff("forward_features", tokens);
        var pooledDiff = fx.MaxAbsDiff("pooled", tokens.select(1, 0));
        Assert.True(tokenDiff <= Tolerance, $"{family}: forward_features max abs difference {tokenDiff:G3}");
        Assert.True(pooledDiff <= Tolerance, $"{family}: pooled max abs difference {pooledDiff:G3}");
        // the short inference path (class token only) reads the same token
        var cls = vit.ForwardFeatures(fx.Images(), usedTokensOnly: true).select(1, 0);
        Assert.True(fx.MaxAbsDiff("pooled", cls) <= Tolerance);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void PresetStructureIsTheOneTheFixtureWasMadeWith(string family, string preset)
    {
        var arch = TimmFamilyFixture.Load(family).Arch;
        var spec = VitPresets.Get(preset);
        Assert.Equal(arch.GetProperty("patch_size").GetInt32(), spec.PatchSize);
        Assert.Equal(arch.GetProperty("eps").GetDouble(), spec.NormEps);
        var init = arch.GetProperty("init_values");
        Assert.Equal(init.ValueKind == System.Text.Json.JsonValueKind.Null ? null : init.GetDouble(), spec.LayerScaleInit);
        Assert.Equal(arch.GetProperty("reg_tokens").GetInt32(), spec.RegTokens);
        Assert.Equal(arch.GetProperty("no_embed_class").GetBoolean(), spec.NoEmbedClass);
        Assert.Equal(arch.GetProperty("pre_norm").GetBoolean(), spec.PreNorm);
        Assert.Equal(arch.GetProperty("act_layer").GetString() == "quick_gelu" ? MlpActivation.QuickGelu : MlpActivation.Gelu, spec.Activation);
    }

    [Fact]
    public void ParameterCountFromShapesMatchesTheModelForEveryPreset()
    {
        foreach (var name in VitPresets.Names)
        {
            var spec = VitPresets.Get(name) with { Depth = 1 };
            using var vit = new VisionTransformer(spec);
            Assert.Equal(vit.parameters().Sum(p => p.numel()), VisionTransformer.CountParameters(spec));
        }
    }
}
