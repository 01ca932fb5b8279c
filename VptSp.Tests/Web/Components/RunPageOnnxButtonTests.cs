using Bunit;
using VptSp.Web.Components.Pages.Runs;

namespace VptSp.Tests.Web.Components;

[Collection("bunit-pages")]
public sealed class RunPageOnnxButtonTests : PageTestContext
{
    [Theory]
    [InlineData("completed", true)]
    [InlineData("failed", false)]
    [InlineData("running", false)]
    public void OnlyACompletedRunOffersItsModelAsAnOnnxDownload(string status, bool offered)
    {
        var run = RunService.Seed("r", status, epochs: 1);
        var page = Render<RunPage>(p => p.Add(x => x.Id, run.Id));
        var buttons = page.FindAll(".onnx-button");
        Assert.Equal(offered ? 1 : 0, buttons.Count);
        if (!offered) return;
        Assert.Equal($"/api/runs/{run.Id}/export/onnx", buttons[0].GetAttribute("href"));
        Assert.Equal($"run-{run.Id}.onnx", buttons[0].GetAttribute("download"));
        Assert.Contains("Download model (ONNX)", buttons[0].TextContent);
    }
}
