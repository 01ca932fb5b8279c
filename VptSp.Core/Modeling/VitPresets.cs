namespace VptSp.Core.Modeling;

/// <summary>
/// Named ViT configurations (structure and fallback statistics; a Hub config.json's pretrained_cfg sets preprocessing): timm's
/// ViT-Ti/S/B at 224 px and the seed configs' in21k aliases, DeiT, DINOv2 (with registers), CLIP image towers, and small CPU
/// demo/test models. Families and what each needs: docs/backbones.md.
/// </summary>
public static class VitPresets
{
    /// <summary>Input normalisation of augreg / in21k timm weights.</summary>
    public static readonly float[] HalfMean = { 0.5f, 0.5f, 0.5f };
    public static readonly float[] HalfStd = { 0.5f, 0.5f, 0.5f };

    /// <summary>ImageNet normalisation (used by the non-augreg presets).</summary>
    public static readonly float[] ImageNetMean = { 0.485f, 0.456f, 0.406f };
    public static readonly float[] ImageNetStd = { 0.229f, 0.224f, 0.225f };

    /// <summary>OpenAI CLIP normalisation (CLIP image towers, OpenAI and LAION weights alike).</summary>
    public static readonly float[] ClipMean = { 0.48145466f, 0.4578275f, 0.40821073f };
    public static readonly float[] ClipStd = { 0.26862954f, 0.26130258f, 0.27577711f };

    // name -> (family, spec of the name with its pretrained tag or null); structure as timm builds the name at 224 px
    private static readonly Dictionary<string, (string Family, Func<string, string?, VitSpec> Make)> Known = new(StringComparer.Ordinal)
    {
        // timm 0.9's default tags for these names are augreg (in21k pretrained) weights: mean = std = 0.5.
        ["vit_tiny_patch16_224"] = (VitFamily, (n, t) => AugregStats(new VitSpec(n, 224, 16, 192, 12, 3, 4.0, HalfMean, HalfStd), t)),
        ["vit_small_patch16_224"] = (VitFamily, (n, t) => AugregStats(new VitSpec(n, 224, 16, 384, 12, 6, 4.0, HalfMean, HalfStd), t)),
        ["vit_base_patch16_224"] = (VitFamily, (n, t) => AugregStats(new VitSpec(n, 224, 16, 768, 12, 12, 4.0, HalfMean, HalfStd), t)),
        // the seed configs' names (timm vit_*_patch16_224.augreg_in21k)
        ["vit_small_patch16_224_in21k"] = (VitFamily, (n, t) => AugregStats(new VitSpec(n, 224, 16, 384, 12, 6, 4.0, HalfMean, HalfStd), t)),
        ["vit_base_patch16_224_in21k"] = (VitFamily, (n, t) => AugregStats(new VitSpec(n, 224, 16, 768, 12, 12, 4.0, HalfMean, HalfStd), t)),
        // DeiT (fb_in1k): a plain ViT with ImageNet statistics
        ["deit_small_patch16_224"] = (DeitFamily, (n, _) => new VitSpec(n, 224, 16, 384, 12, 6, 4.0, ImageNetMean, ImageNetStd, CropPct: 0.875)),
        ["deit_base_patch16_224"] = (DeitFamily, (n, _) => new VitSpec(n, 224, 16, 768, 12, 12, 4.0, ImageNetMean, ImageNetStd, CropPct: 0.875)),
        // DINOv2 (lvd142m): patch 14, LayerScale; the 518-px checkpoints' 37×37 position embedding is resampled to 16×16 at import
        ["vit_small_patch14_dinov2"] = (DinoFamily, (n, _) => Dino(n, 384, 6)),
        ["vit_base_patch14_dinov2"] = (DinoFamily, (n, _) => Dino(n, 768, 12)),
        // DINOv2 with 4 registers: position embedding on the patches only, class + registers prepended after it
        ["vit_small_patch14_reg4_dinov2"] = (DinoFamily, (n, _) => Dino(n, 384, 6) with { RegTokens = 4, NoEmbedClass = true }),
        // CLIP image towers (openai, laion2b): pre-norm, no patch bias, LayerNorm eps 1e-5. As in timm, the plain name runs exact
        // GELU (timm's note on .openai: "natively QuickGELU, use quickgelu model variant"); the quickgelu name runs QuickGELU
        // over the same .openai weights.
        ["vit_base_patch16_clip_224"] = (ClipFamily, (n, t) => Clip(n, t, MlpActivation.Gelu)),
        ["vit_base_patch16_clip_quickgelu_224"] = (ClipFamily, (n, t) => Clip(n, t, MlpActivation.QuickGelu)),
        // CPU demo: 64 px, patch 8 (64 tokens + class), width 192, depth 6, 3 heads
        ["vit_demo_patch8_64"] = (DemoFamily, (n, _) => new VitSpec(n, 64, 8, 192, 6, 3, 4.0, ImageNetMean, ImageNetStd)),
        // tests: 32 px, patch 8, width 32, depth 2, 2 heads
        ["vit_test_patch8_32"] = (DemoFamily, (n, _) => new VitSpec(n, 32, 8, 32, 2, 2, 4.0, ImageNetMean, ImageNetStd)),
        // tests of the reference's 12-head adapter block: the same with width 48
        ["vit_test_w48_patch8_32"] = (DemoFamily, (n, _) => new VitSpec(n, 32, 8, 48, 2, 2, 4.0, ImageNetMean, ImageNetStd)),
    };

    private const string VitFamily = "ViT (augreg / in21k)";
    private const string DeitFamily = "DeiT";
    private const string DinoFamily = "DINOv2";
    private const string ClipFamily = "CLIP image tower";
    private const string DemoFamily = "Demo and test (no published weights)";

    private static VitSpec Dino(string name, int width, int heads) =>
        new(name, 224, 14, width, 12, heads, 4.0, ImageNetMean, ImageNetStd, CropPct: 1.0, LayerScaleInit: 1e-5);

    private static VitSpec Clip(string name, string? tag, MlpActivation activation) =>
        new(name, 224, 16, 768, 12, 12, 4.0, ClipMean, ClipStd, CropPct: tag == "openai" ? 0.9 : 1.0, NormEps: 1e-5, PreNorm: true,
            Activation: activation);

    /// <summary>Tags naming augreg or in21k weights get mean = std = 0.5, other tags ImageNet's statistics (the plain ViT names).</summary>
    private static VitSpec AugregStats(VitSpec spec, string? tag)
    {
        if (tag is null) return spec;
        var half = tag.Contains("augreg", StringComparison.OrdinalIgnoreCase) || tag.Contains("in21k", StringComparison.OrdinalIgnoreCase);
        return spec with { Mean = half ? HalfMean : ImageNetMean, Std = half ? HalfStd : ImageNetStd };
    }

    /// <summary>The family a preset belongs to (for grouping in lists), e.g. "DINOv2"; throws for an unknown name.</summary>
    public static string FamilyOf(string name) => Entry(name).Family;

    public static IReadOnlyCollection<string> Names => Known.Keys;

    /// <summary>The preset called <paramref name="name"/>. A timm pretrained tag ("vit_small_patch16_224.augreg_in21k") is accepted;
    /// for the plain ViT names it picks the statistics (augreg / in21k: 0.5, others ImageNet's), for the CLIP towers the crop.</summary>
    public static VitSpec Get(string name)
    {
        var (_, make) = Entry(name);
        var dot = name.IndexOf('.');
        return make(name, dot < 0 ? null : name[(dot + 1)..]).Validate();
    }

    private static (string Family, Func<string, string?, VitSpec> Make) Entry(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var dot = name.IndexOf('.');
        var baseName = dot < 0 ? name : name[..dot];
        return Known.TryGetValue(baseName, out var entry)
            ? entry
            : throw new ArgumentException($"unknown ViT preset '{name}'; known presets: {string.Join(", ", Known.Keys)}", nameof(name));
    }
}
