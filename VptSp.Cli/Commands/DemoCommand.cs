using System.CommandLine;
using VptSp.Core.Demo;
using VptSp.Core.Training;

namespace VptSp.Cli.Commands;

/// <summary><c>vptsp demo [--quick]</c>: the emoji demo headless, ending in a Markdown table with chance and raw-pixel rows.</summary>
public static class DemoCommand
{
    public static Command Create(TextWriter output)
    {
        var quick = new Option<bool>("--quick") { Description = "a few epochs per step: checks the workflow in minutes, not the numbers" };
        var methods = new Option<string[]>("--methods") { Description = "methods after pre-training (default: all)", AllowMultipleArgumentsPerToken = true };
        var outDir = new Option<string?>("--output") { Description = "where the demo's runs go (default data/runs/demo-<time>, under $VPTSP_DATA_DIR)" };
        var backbone = new Option<string?>("--backbone") { Description = "an already pre-trained backbone (e.g. a finished emoji_pretrain run's artefacts/backbone.safetensors): skip pre-training" };
        var cmd = new Command("demo", "Pre-train the small ViT on emoji, then zero-shot and every method on unseen emoji classes");
        cmd.Options.Add(quick);
        cmd.Options.Add(methods);
        cmd.Options.Add(outDir);
        cmd.Options.Add(backbone);
        cmd.SetAction(parse =>
        {
            var chosen = parse.GetValue(methods) is { Length: > 0 } m ? m : DemoOptions.AllMethods.ToArray();
            foreach (var name in chosen)
                if (!DemoOptions.AllMethods.Contains(name))
                    throw new CliException($"unknown method '{name}' (use {string.Join(", ", DemoOptions.AllMethods)})");
            var data = CliPaths.DataDirectory;
            if (!Directory.Exists(Path.Combine(DataLayout.DemoRoot(data), "emoji")))
                throw new CliException($"no emoji demo data under {data}/demo/emoji: run scripts/fetch-demo-data.sh first");
            var options = new DemoOptions(data, parse.GetValue(outDir) ?? Path.Combine(CliPaths.RunsDirectory, $"demo-{DateTime.Now:yyyyMMdd-HHmmss}"),
                parse.GetValue(quick), chosen, parse.GetValue(backbone));
            using var cts = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
            Console.CancelKeyPress += onCancel;
            try
            {
                using var observer = new ConsoleTrainingObserver(output, interactive: false);
                var rows = TrainingThread.Run(() => new EmojiDemo(ConfigPresets.Discover(), options, observer, output).Run(cts.Token));
                output.WriteLine();
                output.WriteLine("Emoji demo — cross-vendor retrieval on unseen emoji classes (test split). Emoji images: Noto Emoji (Google, Apache-2.0), Twemoji (Twitter, CC-BY 4.0).");
                output.WriteLine();
                output.Write(EmojiDemo.Markdown(rows));
                return cts.IsCancellationRequested ? 130 : 0;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        });
        return cmd;
    }
}
