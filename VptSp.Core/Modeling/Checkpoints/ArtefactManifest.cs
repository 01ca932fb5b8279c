using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VptSp.Core.Modeling.Checkpoints;

/// <summary>manifest.json of a run artefact: what was trained and on which backbone.</summary>
/// <param name="Format">Artefact format tag.</param>
/// <param name="Options">Model options of the run (method, preset, checkpoint path, sizes …).</param>
/// <param name="BackbonePreset">ViT preset name.</param>
/// <param name="CheckpointFile">File name of the backbone checkpoint the run started from (null = random backbone).</param>
/// <param name="CheckpointSha256">SHA-256 of that checkpoint.</param>
/// <param name="Tensors">Names stored in <see cref="ArtefactFiles.Trained"/>.</param>
/// <param name="BackboneExport">For full fine-tuning: a timm-named checkpoint of the trained backbone (usable as a later run's checkpoint).</param>
public sealed record ArtefactManifest(
    string Format,
    ModelOptions Options,
    string BackbonePreset,
    string? CheckpointFile,
    string? CheckpointSha256,
    IReadOnlyList<string> Tensors,
    string? BackboneExport)
{
    public const string CurrentFormat = "vptsp-artefact/1";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ArtefactManifest FromJson(string json, string source)
    {
        ArtefactManifest? manifest;
        try
        {
            manifest = JsonNode.Parse(json) is JsonObject node ? WithLegacyOptions(node).Deserialize<ArtefactManifest>(Json) : null;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{source}' is not a {CurrentFormat} manifest: {ex.Message}", ex);
        }
        return manifest is { Format: CurrentFormat } m ? m : throw new InvalidDataException($"'{source}' is not a {CurrentFormat} manifest");
    }

    /// <summary>
    /// Options that manifests written before they existed lack, with the values those runs were trained with (every other
    /// option is required: a manifest missing one does not load).
    /// </summary>
    private static readonly (string Name, Func<JsonNode> Value)[] LegacyOptions =
    [
        (nameof(ModelOptions.Bf16), () => JsonValue.Create(false)),
        (nameof(ModelOptions.Fp16), () => JsonValue.Create(false)),
        (nameof(ModelOptions.Optim), () => JsonValue.Create("adamw")),
        (nameof(ModelOptions.Decay), () => JsonValue.Create(0.0)),
        (nameof(ModelOptions.SgdMomentum), () => JsonValue.Create(0.9)),
        (nameof(ModelOptions.PromptMemoryBank), () => JsonValue.Create(true)),
    ];

    private static JsonObject WithLegacyOptions(JsonObject manifest)
    {
        if (manifest[nameof(Options)] is JsonObject options)
            foreach (var (name, value) in LegacyOptions)
                if (!options.ContainsKey(name)) options[name] = value();
        return manifest;
    }
}

/// <summary>File names inside an artefact directory.</summary>
public static class ArtefactFiles
{
    public const string Manifest = "manifest.json";
    public const string Trained = "trained.safetensors";
    public const string Backbone = "backbone.safetensors";
}
