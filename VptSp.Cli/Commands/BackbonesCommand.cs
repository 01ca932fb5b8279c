using System.CommandLine;
using System.Diagnostics;
using VptSp.Core.Backbones.Hub;

namespace VptSp.Cli.Commands;

/// <summary><c>vptsp backbones list</c> (known names, cached or not) and <c>vptsp backbones pull NAME…</c> (into the Hub cache).</summary>
public static class BackbonesCommand
{
    public static Command Create(TextWriter output)
    {
        var cmd = new Command("backbones", "Pretrained backbones from the Hugging Face Hub (timm/NAME.TAG), kept in its cache");
        var list = new Command("list", "Known names with published weights, and whether each is in the Hub cache (size)");
        list.SetAction(_ =>
        {
            var settings = HubSettings.FromEnvironment();
            output.WriteLine($"cache: {settings.CacheDir}");
            foreach (var name in PretrainedNames.Known)
            {
                var cached = PretrainedBackbones.Cached(name, settings);
                var size = cached is null ? "not cached" : DownloadProgress.Mb(new FileInfo(cached).Length) + " MB cached";
                output.WriteLine($"{name,-48} {size}");
            }
            return 0;
        });
        var names = new Argument<string[]>("names") { Description = "timm names (NAME.TAG, an alias or an untagged name)", Arity = ArgumentArity.OneOrMore };
        var pull = new Command("pull", "Download the names' weights and config.json into the Hub cache (progress on stderr)");
        pull.Arguments.Add(names);
        pull.SetAction(async (parse, ct) =>
        {
            foreach (var name in parse.GetValue(names) ?? [])
            {
                var progress = new StderrProgress();
                var weights = await PretrainedBackbones.FetchAsync(name, progress: progress, ct: ct);
                progress.Finish();
                output.WriteLine($"{name}: {weights.Provenance}");
                output.WriteLine($"  {weights.Weights}");
            }
            return 0;
        });
        cmd.Subcommands.Add(list);
        cmd.Subcommands.Add(pull);
        return cmd;
    }

    /// <summary>One line on stderr, rewritten at most four times a second.</summary>
    private sealed class StderrProgress : IProgress<DownloadProgress>
    {
        private readonly Stopwatch _since = Stopwatch.StartNew();
        private DownloadProgress? _last;
        private bool _shown;

        public void Report(DownloadProgress value)
        {
            _last = value;
            if (_shown && _since.ElapsedMilliseconds < 250) return;
            _since.Restart();
            _shown = true;
            Console.Error.Write("\r" + value + "   ");
        }

        public void Finish()
        {
            if (_last is not null) Console.Error.WriteLine("\r" + _last + "   ");
        }
    }
}
