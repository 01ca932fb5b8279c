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
        return $"Queued the {(quick ? "quick demo" : "demo")}: run #{pre.Id} (pre-training, position {pre.Position}) " +
            $"then run #{main.Id} (VPTSP-G, position {main.Position}).";
    }
}
