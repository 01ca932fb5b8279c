using VptSp.Core.Demo;
using VptSp.Runs;

namespace VptSp.Web.Services.Launch;

/// <summary>The emoji demo from the Runs page: pre-training, then VPTSP-G on its backbone; quick = <c>vptsp demo --quick</c>'s epochs.</summary>
public sealed class DemoLaunchService(IRunService runs)
{
    public const string MethodPreset = "emoji_vptsp_g";

    /// <summary>
    /// Queues both runs; returns the line to show. Each launch exports its own backbone file
    /// (<c>backbones/emoji_vit[_quick]-&lt;time&gt;.safetensors</c>) and trains VPTSP-G on it: the path policy never lets a run
    /// replace an existing file, so a second launch of the demo must not reuse the first one's name.
    /// </summary>
    public async Task<string> LaunchAsync(bool quick, CancellationToken ct = default)
    {
        IReadOnlyList<string> tags = quick ? ["demo", "quick"] : ["demo"];
        var backbone = BackboneFor(quick, DateTimeOffset.UtcNow);
        var pre = await runs.SubmitAsync(new RunSubmission(QuickDemo.PretrainPreset,
            With(quick ? QuickDemo.PretrainOverrides : null, "export_backbone", backbone),
            Name: quick ? "emoji_pretrain (quick demo)" : null, Tags: tags), ct);
        var main = await runs.SubmitAsync(new RunSubmission(MethodPreset,
            With(quick ? QuickDemo.MethodOverrides : null, "backbone_checkpoint", backbone),
            Name: quick ? "emoji_vptsp_g (quick demo)" : null, Tags: tags), ct);
        return Message(quick, pre, main);
    }

    /// <summary>"backbones/emoji_vit_quick-20261208-031500.safetensors": this launch's backbone, under the data directory.</summary>
    public static string BackboneFor(bool quick, DateTimeOffset at) =>
        $"backbones/emoji_vit{(quick ? "_quick" : "")}-{at.UtcDateTime:yyyyMMdd-HHmmss-fff}.safetensors";

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string>? overrides, string key, string value) =>
        new(overrides ?? new Dictionary<string, string>()) { [key] = value };

    /// <summary>
    /// "Queued the quick demo: run #1 (pre-training, starts next) and run #2 (VPTSP-G on its backbone, starts after #1)".
    /// The second run's queue position says nothing useful (the first may already be running), so it is not shown.
    /// </summary>
    public static string Message(bool quick, SubmitResult pre, SubmitResult main)
    {
        var first = pre.Position <= 1 ? "starts next" : $"starts after the {pre.Position - 1} run{(pre.Position == 2 ? "" : "s")} queued before it";
        return $"Queued the {(quick ? "quick demo" : "demo")}: run #{pre.Id} (pre-training, {first}) " +
            $"and run #{main.Id} (VPTSP-G on its backbone, starts after #{pre.Id}).";
    }
}
