using System.Globalization;
using System.Reflection;
using VptSp.Core.Modeling;

namespace VptSp.Core.Export;

/// <summary>The keys an exported model carries in its <c>metadata_props</c> (all values are text; lists are comma-separated).</summary>
public static class OnnxMetadata
{
    public const string InputName = "vptsp.input_name";
    public const string OutputName = "vptsp.output_name";
    public const string InputSize = "vptsp.input_size";
    public const string Mean = "vptsp.mean";
    public const string Std = "vptsp.std";
    public const string Interpolation = "vptsp.interpolation";
    public const string CropPct = "vptsp.crop_pct";
    public const string EmbeddingSize = "vptsp.embedding_size";
    public const string Method = "vptsp.method";
    public const string Pooling = "vptsp.pooling";
    public const string Precision = "vptsp.precision";
    public const string RunId = "vptsp.run_id";
    public const string Backbone = "vptsp.backbone";
    public const string BackboneCheckpoint = "vptsp.backbone_checkpoint";
    public const string BackboneSha256 = "vptsp.backbone_sha256";
    public const string Version = "vptsp.version";

    /// <summary>The metadata of <paramref name="model"/> exported from run <paramref name="runId"/>.</summary>
    internal static Dictionary<string, string> For(MetricModel model, ExportStructure s, string runId, string? checkpoint, bool fp16)
    {
        var p = model.Preprocessing;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [InputName] = EmbeddingGraph.InputName,
            [OutputName] = EmbeddingGraph.OutputName,
            [InputSize] = p.ImgSize.ToString(CultureInfo.InvariantCulture),
            [Mean] = List(p.Mean),
            [Std] = List(p.Std),
            [Interpolation] = p.Interpolation,
            [CropPct] = p.CropPct.ToString("R", CultureInfo.InvariantCulture),
            [EmbeddingSize] = s.EmbedDim.ToString(CultureInfo.InvariantCulture),
            [Method] = s.Method,
            [Pooling] = s.AveragePooling ? "avg" : "token",
            [Precision] = fp16 ? "fp16" : "fp32",
            [RunId] = runId,
            [Backbone] = model.Options.Backbone,
            [BackboneCheckpoint] = checkpoint is null ? "" : Path.GetFileName(checkpoint),
            [BackboneSha256] = model.CheckpointSha256 ?? "",
            [Version] = VersionText,
        };
    }

    /// <summary>The preprocessing an exported model expects, read back from its metadata.</summary>
    public static Preprocessing PreprocessingOf(IReadOnlyDictionary<string, string> metadata)
    {
        string Get(string key) => metadata.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"the ONNX model has no '{key}' metadata (not a VptSp export?)");
        return new Preprocessing(int.Parse(Get(InputSize), CultureInfo.InvariantCulture), Floats(Get(Mean)), Floats(Get(Std)),
            Get(Interpolation), double.Parse(Get(CropPct), CultureInfo.InvariantCulture));
    }

    public static string VersionText =>
        typeof(OnnxMetadata).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(OnnxMetadata).Assembly.GetName().Version?.ToString() ?? "unknown";

    private static string List(float[] values) => string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static float[] Floats(string text) => text.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
}
