using VptSp.Core.Modeling;

namespace VptSp.Core.Backbones.Hub;

/// <summary>A timm model name resolved to its Hub repo: <c>timm/NAME.TAG</c>.</summary>
/// <param name="Name">The name as asked (an alias, untagged or tagged).</param>
/// <param name="Tagged">timm's <c>NAME.TAG</c>.</param>
public sealed record PretrainedName(string Name, string Tagged)
{
    /// <summary>timm's repo; the QuickGELU CLIP names load the plain CLIP tower's weights (timm's hf_hub_id for them).</summary>
    public string Repo => "timm/" + Tagged.Replace("_clip_quickgelu_", "_clip_", StringComparison.Ordinal);
}

/// <summary>
/// The one place timm names become Hub repos: <c>NAME.TAG</c> as given; the seed configs' timm-0.9 aliases
/// (<c>vit_small_patch16_224_in21k</c> → <c>vit_small_patch16_224.augreg_in21k</c>); an untagged name → timm's default tag.
/// A name whose architecture has no published weights (the demo and test ViTs, untagged) resolves to nothing.
/// </summary>
public static class PretrainedNames
{
    // timm ≥ 0.9: the old *_in21k names are these tagged ones
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["vit_small_patch16_224_in21k"] = "vit_small_patch16_224.augreg_in21k",
        ["vit_base_patch16_224_in21k"] = "vit_base_patch16_224.augreg_in21k",
    };

    // timm's default pretrained tag of each untagged name (the first tag of its default_cfgs)
    private static readonly Dictionary<string, string> DefaultTags = new(StringComparer.Ordinal)
    {
        ["vit_tiny_patch16_224"] = "augreg_in21k_ft_in1k",
        ["vit_small_patch16_224"] = "augreg_in21k_ft_in1k",
        ["vit_base_patch16_224"] = "augreg2_in21k_ft_in1k",
        ["deit_small_patch16_224"] = "fb_in1k",
        ["deit_base_patch16_224"] = "fb_in1k",
        ["vit_small_patch14_dinov2"] = "lvd142m",
        ["vit_base_patch14_dinov2"] = "lvd142m",
        ["vit_small_patch14_reg4_dinov2"] = "lvd142m",
        ["vit_base_patch16_clip_224"] = "openai",
        ["vit_base_patch16_clip_quickgelu_224"] = "openai",
    };

    /// <summary>Names with published weights that <c>vptsp backbones list</c> shows (tagged, as timm spells them).</summary>
    public static IReadOnlyList<string> Known { get; } =
    [
        "vit_small_patch16_224.augreg_in21k",
        "vit_base_patch16_224.augreg_in21k",
        "vit_tiny_patch16_224.augreg_in21k_ft_in1k",
        "vit_small_patch16_224.augreg_in21k_ft_in1k",
        "vit_base_patch16_224.augreg2_in21k_ft_in1k",
        "deit_small_patch16_224.fb_in1k",
        "deit_base_patch16_224.fb_in1k",
        "vit_small_patch14_dinov2.lvd142m",
        "vit_base_patch14_dinov2.lvd142m",
        "vit_small_patch14_reg4_dinov2.lvd142m",
        "vit_base_patch16_clip_224.openai",
        "vit_base_patch16_clip_224.laion2b",
        "vit_base_patch16_clip_quickgelu_224.openai",
    ];

    /// <summary>The Hub repo of <paramref name="name"/>, or null when it has no published weights.
    /// Throws <see cref="ArgumentException"/> (from <see cref="VitPresets.Get"/>) for an unknown architecture.</summary>
    public static PretrainedName? Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        name = name.Trim();
        VitPresets.Get(name); // the architecture must be one we build
        if (Aliases.TryGetValue(name, out var alias)) return new PretrainedName(name, alias);
        if (name.Contains('.', StringComparison.Ordinal)) return new PretrainedName(name, name);
        return DefaultTags.TryGetValue(name, out var tag) ? new PretrainedName(name, name + "." + tag) : null;
    }

    /// <summary>Whether <paramref name="name"/> has published weights (<see cref="Resolve"/> finds a repo).</summary>
    public static bool HasWeights(string name) => Resolve(name) is not null;
}
