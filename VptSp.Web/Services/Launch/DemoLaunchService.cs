using VptSp.Core.Demo;
using VptSp.Runs;

namespace VptSp.Web.Services.Launch;

/// <summary>The emoji demo from the Runs page: pre-training, then VPTSP-G on its backbone; quick = <c>vptsp demo --quick</c>'s epochs.</summary>
public sealed class DemoLaunchService(IRunService runs)
{
    public const string MethodPreset = "emoji_vptsp_g";

    /// <summary>Queues both runs; returns the line to show.</summary>
    public async Task<string> LaunchAsync(bool quick, CancellationToken ct = default)
    {
        IReadOnlyList<string> tags = quick ? ["demo", "quick"] : ["demo"];
        var pre = await runs.SubmitAsync(quick
            ? new RunSubmission(QuickDemo.PretrainPreset, QuickDemo.PretrainOverrides, Name: "emoji_pretrain (quick demo)", Tags: tags)
            : new RunSubmission(QuickDemo.PretrainPreset, Tags: tags), ct);
        var main = await runs.SubmitAsync(quick
            ? new RunSubmission(MethodPreset, QuickDemo.MethodOverrides, Name: "emoji_vptsp_g (quick demo)", Tags: tags)
            : new RunSubmission(MethodPreset, Tags: tags), ct);
        return Message(quick, pre, main);
    }

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
