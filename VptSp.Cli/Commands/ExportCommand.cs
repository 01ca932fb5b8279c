using System.CommandLine;
using VptSp.Core.Export;
using VptSp.Core.Training;

namespace VptSp.Cli.Commands;

/// <summary><c>vptsp export --run dir [--format onnx|embeddings] --output file|dir [--fp16]</c>: ship what a run trained.</summary>
public static class ExportCommand
{
    public const string Onnx = "onnx";
    public const string Embeddings = "embeddings";

    public static Command Create(TextWriter output)
    {
        var run = new Option<string?>("--run") { Description = "a trained run directory" };
        var format = new Option<string>("--format") { Description = "onnx (the embedding model) or embeddings (the gallery's embeddings, labels, paths)", DefaultValueFactory = _ => Onnx };
        var outPath = new Option<string?>("--output") { Description = "the .onnx file (onnx) or the folder to write (embeddings)" };
        var fp16 = new Option<bool>("--fp16") { Description = "onnx: float16 weights and activations (for GPUs); input and output stay float32" };
        var cmd = new Command("export", "Export a run's embedding model as ONNX, or its gallery embeddings as portable files");
        foreach (var o in new Option[] { run, format, outPath, fp16 }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var runDir = parse.GetValue(run) ?? throw new CliException("export needs --run <dir>");
            var target = parse.GetValue(outPath) ?? throw new CliException("export needs --output <file or folder>");
            var kind = parse.GetValue(format)!;
            if (kind is not (Onnx or Embeddings)) throw new CliException($"unknown export format '{kind}'; use {Onnx} or {Embeddings}");
            if (!Directory.Exists(runDir)) throw new CliException($"no run folder at {runDir}");
            if (kind == Embeddings && parse.GetValue(fp16)) throw new CliException("--fp16 goes with --format onnx");
            if (kind == Onnx)
            {
                var r = TrainingThread.Run(() => OnnxExporter.ExportRun(runDir, target, parse.GetValue(fp16)));
                output.WriteLine($"wrote {r.Path} ({r.Bytes / 1024.0 / 1024.0:0.0} MiB, opset {OnnxExporter.Opset}, {r.Nodes} nodes, " +
                                 $"{r.Metadata[OnnxMetadata.Precision]}, embedding size {r.Metadata[OnnxMetadata.EmbeddingSize]})");
            }
            else
            {
                var r = TrainingThread.Run(() => PortableEmbeddings.ExportRun(runDir, target));
                output.WriteLine($"wrote {r.Count} embeddings of dimension {r.Dimension} to {r.Directory} " +
                                 $"({PortableEmbeddings.TensorFile}, {PortableEmbeddings.ItemsFile})");
            }
            return 0;
        });
        return cmd;
    }
}
