namespace VptSp.Core.Modeling;

/// <summary>Named ViT configurations: timm's ViT-Ti/S/B at 224 px, the seed configs' in21k aliases, and small CPU demo/test models.</summary>
public static class VitPresets
{
    /// <summary>Input normalisation of augreg / in21k timm weights.</summary>
    public static readonly float[] HalfMean = { 0.5f, 0.5f, 0.5f };
    public static readonly float[] HalfStd = { 0.5f, 0.5f, 0.5f };

    /// <summary>ImageNet normalisation (used by the non-augreg presets).</summary>
    public static readonly float[] ImageNetMean = { 0.485f, 0.456f, 0.406f };
    public static readonly float[] ImageNetStd = { 0.229f, 0.224f, 0.225f };

    private static readonly Dictionary<string, Func<string, VitSpec>> Known = new(StringComparer.Ordinal)
    {
        // timm 0.9's default tags for these names are augreg (in21k pretrained) weights: mean = std = 0.5.
        ["vit_tiny_patch16_224"] = n => new VitSpec(n, 224, 16, 192, 12, 3, 4.0, HalfMean, HalfStd),
        ["vit_small_patch16_224"] = n => new VitSpec(n, 224, 16, 384, 12, 6, 4.0, HalfMean, HalfStd),
        ["vit_base_patch16_224"] = n => new VitSpec(n, 224, 16, 768, 12, 12, 4.0, HalfMean, HalfStd),
        // the seed configs' names (timm vit_*_patch16_224.augreg_in21k)
        ["vit_small_patch16_224_in21k"] = n => new VitSpec(n, 224, 16, 384, 12, 6, 4.0, HalfMean, HalfStd),
        ["vit_base_patch16_224_in21k"] = n => new VitSpec(n, 224, 16, 768, 12, 12, 4.0, HalfMean, HalfStd),
        // CPU demo: 64 px, patch 8 (64 tokens + class), width 192, depth 6, 3 heads
        ["vit_demo_patch8_64"] = n => new VitSpec(n, 64, 8, 192, 6, 3, 4.0, ImageNetMean, ImageNetStd),
        // tests: 32 px, patch 8, width 32, depth 2, 2 heads
        ["vit_test_patch8_32"] = n => new VitSpec(n, 32, 8, 32, 2, 2, 4.0, ImageNetMean, ImageNetStd),
        // tests of the reference's 12-head adapter block: the same with width 48
        ["vit_test_w48_patch8_32"] = n => new VitSpec(n, 32, 8, 48, 2, 2, 4.0, ImageNetMean, ImageNetStd),
    };

    public static IReadOnlyCollection<string> Names => Known.Keys;

    /// <summary>The preset called <paramref name="name"/>. A timm pretrained tag ("vit_small_patch16_224.augreg_in21k")
    /// is accepted: tags naming augreg or in21k weights get mean = std = 0.5, other tags ImageNet's statistics.</summary>
    public static VitSpec Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var dot = name.IndexOf('.');
        var baseName = dot < 0 ? name : name[..dot];
        if (!Known.TryGetValue(baseName, out var make))
            throw new ArgumentException(
                $"unknown ViT preset '{name}'; known presets: {string.Join(", ", Known.Keys)}", nameof(name));
        var spec = make(name);
        if (dot >= 0)
        {
            var tag = name[(dot + 1)..];
            var half = tag.Contains("augreg", StringComparison.OrdinalIgnoreCase) || tag.Contains("in21k", StringComparison.OrdinalIgnoreCase);
            spec = spec with { Mean = half ? HalfMean : ImageNetMean, Std = half ? HalfStd : ImageNetStd };
        }
        return spec.Validate();
    }
}
