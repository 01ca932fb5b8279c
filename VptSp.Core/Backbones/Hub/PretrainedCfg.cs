using System.Text.Json;
using VptSp.Core.Modeling;

namespace VptSp.Core.Backbones.Hub;

/// <summary>
/// The preprocessing a timm Hub repo publishes: <c>config.json</c>'s <c>pretrained_cfg</c> (mean, std, interpolation,
/// crop_pct). The architecture stays the preset's (<see cref="VitPresets"/>); input_size is the size the weights were made at.
/// </summary>
public static class PretrainedCfg
{
    public const string FileName = "config.json";

    /// <summary><paramref name="spec"/> with the preprocessing of the <c>config.json</c> beside <paramref name="checkpoint"/>
    /// (a Hub snapshot's <c>model.safetensors</c>), or <paramref name="spec"/> unchanged when there is none.</summary>
    public static VitSpec ApplyBeside(VitSpec spec, string? checkpoint)
    {
        if (checkpoint is null || !string.Equals(Path.GetFileName(checkpoint), PretrainedBackbones.WeightsFile, StringComparison.Ordinal))
            return spec;
        var config = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!, FileName);
        return File.Exists(config) ? Apply(spec, File.ReadAllText(config)) : spec;
    }

    /// <summary><paramref name="spec"/> with the fields <paramref name="configJson"/>'s <c>pretrained_cfg</c> sets.</summary>
    public static VitSpec Apply(VitSpec spec, string configJson)
    {
        using var doc = JsonDocument.Parse(configJson);
        if (!doc.RootElement.TryGetProperty("pretrained_cfg", out var cfg) || cfg.ValueKind != JsonValueKind.Object) return spec;
        if (Floats(cfg, "mean") is { } mean) spec = spec with { Mean = mean };
        if (Floats(cfg, "std") is { } std) spec = spec with { Std = std };
        if (cfg.TryGetProperty("interpolation", out var i) && i.ValueKind == JsonValueKind.String) spec = spec with { Interpolation = i.GetString()! };
        if (cfg.TryGetProperty("crop_pct", out var c) && c.ValueKind == JsonValueKind.Number) spec = spec with { CropPct = c.GetDouble() };
        return spec.Validate();
    }

    private static float[]? Floats(JsonElement cfg, string key) =>
        cfg.TryGetProperty(key, out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Select(e => e.GetSingle()).ToArray()
            : null;
}
