using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using VptSp.Core.Data;
using VptSp.Core.Inference;
using VptSp.Core.Training;

namespace VptSp.Cli.Commands;

/// <summary><c>vptsp eval --run &lt;dir&gt;</c>: re-evaluates a run's best artefact on its test split.</summary>
public static class EvalCommand
{
    public static Command Create(TextWriter output)
    {
        var run = new Option<string?>("--run") { Description = "run directory (from vptsp train)" };
        var source = new Option<string?>("--source_path") { Description = "data root (default: the one the run was trained on)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object" };
        var cmd = new Command("eval", "Evaluate a trained run on its test split with every metric of its config");
        cmd.Options.Add(run);
        cmd.Options.Add(source);
        cmd.Options.Add(json);
        cmd.SetAction(parse =>
        {
            var dirArg = parse.GetValue(run) ?? throw new CliException("eval needs --run <run directory>");
            var dir = new RunDirectory(dirArg);
            var config = dir.ReadConfig();
            var root = parse.GetValue(source) ?? dir.ReadSource()?.SourcePath
                ?? throw new CliException("the run does not record its data root: give --source_path");
            var metrics = TrainingThread.Run(() =>
            {
                using var model = RunModelLoader.Load(dir.Path);
                var data = DatasetCatalog.Default.Open(root, config.Dataset);
                return RunEvaluation.Evaluate(new MetricModelEmbedder(model), data, config);
            });
            if (parse.GetValue(json))
                output.WriteLine(JsonSerializer.Serialize(metrics));
            else
                foreach (var (k, v) in metrics)
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{k,-12} {v:F4}"));
            return 0;
        });
        return cmd;
    }
}
