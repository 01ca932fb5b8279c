using Google.Protobuf;
using Onnx;
using VptSp.Core.Inference;
using VptSp.Core.Modeling;
using VptSp.Core.Training;

namespace VptSp.Core.Export;

/// <summary>What an ONNX export wrote.</summary>
public sealed record OnnxExportResult(string Path, long Bytes, int Nodes, int Initializers, IReadOnlyDictionary<string, string> Metadata);

/// <summary>Exports a run's embedding model (its inference path, <see cref="EmbeddingGraph"/>) as one ONNX file, opset 17, dynamic batch.</summary>
public static class OnnxExporter
{
    public const int Opset = 17;
    private const long IrVersion = 8;   // the IR of opset 17

    /// <summary>The ONNX model of <paramref name="model"/>; <paramref name="fp16"/> stores weights and activations in float16 (input and output stay float32).</summary>
    public static ModelProto Build(MetricModel model, string runId, string? checkpoint = null, bool fp16 = false) =>
        Build(model, ExportStructure.Of(model), runId, checkpoint, fp16);

    /// <summary>As above with the graph's structure given (tests export deliberately wrong graphs this way).</summary>
    internal static ModelProto Build(MetricModel model, ExportStructure structure, string runId, string? checkpoint, bool fp16)
    {
        var weights = new ModelWeights(model);
        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "vptsp",
            ProducerVersion = OnnxMetadata.VersionText,
            Domain = "ai.vptsp",
            DocString = $"VptSp embedding model of run {runId} ({structure.Method}, {model.Options.Backbone}): L2-normalised embeddings of normalised RGB images",
            Graph = EmbeddingGraph.Build(structure, weights, fp16),
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in OnnxMetadata.For(model, structure, runId, checkpoint, fp16))
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return proto;
    }

    /// <summary>Exports the run in <paramref name="runDirectory"/> to <paramref name="outputPath"/> (written under a temporary name, then renamed).</summary>
    public static OnnxExportResult ExportRun(string runDirectory, string outputPath, bool fp16 = false, string? runId = null)
    {
        var dir = new RunDirectory(Path.GetFullPath(runDirectory));
        if (!Directory.Exists(dir.Path)) throw new DirectoryNotFoundException($"no run folder at {dir.Path}");
        runId ??= Path.GetFileName(dir.Path.TrimEnd(Path.DirectorySeparatorChar));
        using var model = RunModelLoader.Load(dir.Path);
        var proto = Build(model, runId, dir.ReadSource()?.BackboneCheckpoint ?? model.Options.Checkpoint, fp16);
        WriteAtomic(proto, outputPath);
        return new OnnxExportResult(outputPath, new FileInfo(outputPath).Length, proto.Graph.Node.Count, proto.Graph.Initializer.Count,
            proto.MetadataProps.ToDictionary(p => p.Key, p => p.Value));
    }

    /// <summary>The run's fp32 model as ONNX bytes, in memory (the search's ONNX Runtime query engine).</summary>
    public static byte[] ExportRunToBytes(string runDirectory)
    {
        var dir = new RunDirectory(Path.GetFullPath(runDirectory));
        using var model = RunModelLoader.Load(dir.Path);
        var runId = Path.GetFileName(dir.Path.TrimEnd(Path.DirectorySeparatorChar));
        return Build(model, runId, dir.ReadSource()?.BackboneCheckpoint ?? model.Options.Checkpoint).ToByteArray();
    }

    /// <summary>Writes <paramref name="proto"/> through a temporary sibling: a failed export leaves nothing at <paramref name="path"/>.</summary>
    public static void WriteAtomic(IMessage proto, string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + $".tmp-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                proto.WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
