using System.CommandLine;
using System.Globalization;
using System.Text;
using VptSp.Core.Backbones.Hub;
using VptSp.Core.Inference;
using VptSp.Core.Training;

namespace VptSp.Cli.Commands;

/// <summary><c>vptsp embed (--run dir | --model preset [--checkpoint file]) --output out.csv [--no-resize] images…</c>.</summary>
public static class EmbedCommand
{
    public static Command Create(TextWriter output)
    {
        var run = new Option<string?>("--run") { Description = "a trained run directory" };
        var model = new Option<string?>("--model") { Description = "a backbone name (class token after the final norm): its Hub weights unless --checkpoint is given" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "timm checkpoint for --model (.safetensors / .pth)" };
        var outFile = new Option<string?>("--output") { Description = "CSV to write: path,label,e0,e1,… (label = parent folder name)" };
        var noResize = new Option<bool>("--no-resize") { Description = "images already have the model's input size: normalise only" };
        var inputs = new Argument<string[]>("images") { Description = "image files or folders", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("embed", "Write L2-normalised embeddings of images to CSV");
        foreach (var o in new Option[] { run, model, checkpoint, outFile, noResize }) cmd.Options.Add(o);
        cmd.Arguments.Add(inputs);
        cmd.SetAction(parse =>
        {
            var runDir = parse.GetValue(run);
            var preset = parse.GetValue(model);
            if ((runDir is null) == (preset is null)) throw new CliException("embed needs exactly one of --run <dir> or --model <preset>");
            if (runDir is not null && parse.GetValue(checkpoint) is not null) throw new CliException("--checkpoint goes with --model, not --run");
            var outPath = parse.GetValue(outFile) ?? throw new CliException("embed needs --output <file.csv>");
            var paths = ImageFileEmbedding.Collect(parse.GetValue(inputs) ?? []);
            if (paths.Count == 0) throw new CliException("no images found in the given paths");
            var rows = TrainingThread.Run(() =>
            {
                using var trained = runDir is not null ? RunModelLoader.Load(runDir) : null;
                using var backbone = preset is not null ? new BackboneEmbedder(preset, parse.GetValue(checkpoint) ?? HubWeights(preset)) : null;
                IImageEmbedder embedder = trained is not null ? new MetricModelEmbedder(trained) : backbone!;
                using var e = ImageFileEmbedding.Embed(embedder, paths, resize: !parse.GetValue(noResize));
                return e.data<float>().ToArray();
            });
            Write(outPath, paths, rows);
            output.WriteLine($"wrote {paths.Count} embeddings of dimension {rows.Length / paths.Count} to {outPath}");
            return 0;
        });
        return cmd;
    }

    /// <summary>The Hub weights of <paramref name="name"/> (downloaded when missing), or null (random) for a name with none published.</summary>
    private static string? HubWeights(string name) =>
        PretrainedNames.HasWeights(name) ? PretrainedBackbones.Fetch(name).Weights : null;

    private static void Write(string outPath, IReadOnlyList<string> paths, float[] values)
    {
        var dim = values.Length / paths.Count;
        var sb = new StringBuilder();
        for (var i = 0; i < paths.Count; i++)
        {
            sb.Append(Quote(paths[i])).Append(',').Append(Quote(Path.GetFileName(Path.GetDirectoryName(paths[i])) ?? ""));
            for (var j = 0; j < dim; j++) sb.Append(',').Append(values[i * dim + j].ToString("R", CultureInfo.InvariantCulture));
            sb.Append('\n');
        }
        var tmp = outPath + ".tmp";
        File.WriteAllText(tmp, sb.ToString());
        File.Move(tmp, outPath, overwrite: true);
    }

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
