using System.CommandLine;
using VptSp.Core.Training;

namespace VptSp.Cli.Commands;

/// <summary><c>vptsp train --source_path ../dml_data --config configs/cub200_small.yaml --gpu 0</c> — the seed's command line.</summary>
public static class TrainCommand
{
    public static Command Create(TextWriter output)
    {
        var source = new Option<string?>("--source_path") { Description = "root of the datasets (the seed's layout); the emoji demo defaults to $VPTSP_DATA_DIR/demo" };
        var config = new Option<string?>("--config") { Description = "YAML config (the seed's {desc, value} form or plain) or a preset name" };
        var gpu = new Option<string?>("--gpu") { Description = "GPU index (CPU when no GPU is available)" };
        var set = new Option<string[]>("--set") { Description = "override a config key: --set n_epochs=2 (repeatable)", AllowMultipleArgumentsPerToken = true };
        var outDir = new Option<string?>("--output") { Description = "run directory (default data/runs/<config>-<time>, under $VPTSP_DATA_DIR)" };
        var resume = new Option<string?>("--resume") { Description = "continue the run in this directory from its last checkpoint" };
        var cmd = new Command("train", "Train a model (VPTSP-G or a baseline) and evaluate it on the test split");
        foreach (var o in new Option[] { source, config, gpu, set, outDir, resume }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var resumeDir = parse.GetValue(resume);
            var overrides = TrainingConfigYaml.ParseAssignments(parse.GetValue(set) ?? []);
            TrainingRequest request;
            if (resumeDir is not null)
            {
                var dir = new RunDirectory(resumeDir);
                if (!dir.HasCheckpoint) throw new CliException($"{dir.Path} has no checkpoint to resume from");
                if (overrides.Count > 0 || parse.GetValue(config) is not null) throw new CliException("--resume takes the run's own config; drop --config and --set");
                var src = dir.ReadSource();
                request = new TrainingRequest(dir.ReadConfig(), dir.Path, parse.GetValue(source) ?? src?.SourcePath, parse.GetValue(gpu),
                    Resume: true, DataDirectory: src?.DataDirectory ?? CliPaths.DataDirectory);
            }
            else
            {
                var configArg = parse.GetValue(config) ?? throw new CliException("train needs --config <file.yaml | preset>");
                var cfg = CliPaths.LoadConfig(configArg).WithOverrides(overrides);
                request = new TrainingRequest(cfg, parse.GetValue(outDir) ?? CliPaths.NewRunDirectory(configArg), parse.GetValue(source), parse.GetValue(gpu),
                    DataDirectory: CliPaths.DataDirectory);
            }
            return Train(request, output);
        });
        return cmd;
    }

    /// <summary>Runs one training request with console progress; Ctrl+C cancels gracefully (checkpoint saved). Exit: 0 completed, 1 failed, 130 cancelled.</summary>
    public static int Train(TrainingRequest request, TextWriter output)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            using var observer = new ConsoleTrainingObserver(output, interactive: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);
            output.WriteLine($"run directory: {request.RunDirectory}");
            var outcome = TrainingThread.Run(() => new Trainer().Run(request, observer, cts.Token));
            return outcome.State switch
            {
                RunState.Completed => 0,
                RunState.Cancelled => 130,
                _ => throw new CliException(outcome.Error ?? "training failed"),
            };
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
