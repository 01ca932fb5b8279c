using Bunit;
using VptSp.Core.Training;
using VptSp.Runs;
using VptSp.Web.Components.Pages.Compare;
using VptSp.Web.Components.Pages.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace VptSp.Tests.Web.Components;

[Collection("bunit-pages")]
public sealed class RunAndComparePageTests : PageTestContext
{
    private static int ChartPoints(IRenderedComponent<RunPage> page, string title) =>
        int.Parse(page.Find($".vc-chart[data-title='{title}']").GetAttribute("data-points")!);

    [Fact]
    public async Task RunPageChartsGainPointsAsStepsAndEpochsArrive()
    {
        var run = RunService.Seed("live", "running", epochs: 2);
        var page = Render<RunPage>(p => p.Add(x => x.Id, run.Id));
        Assert.Equal(20, ChartPoints(page, "Training loss"));
        Assert.Equal(6, ChartPoints(page, "Retrieval metrics (%)")); // R@1, MAP@R and NMI for two epochs

        RunService.Step(run.Id, epoch: 3, step: 21, totalSteps: 30, loss: 0.5);
        RunService.Step(run.Id, epoch: 3, step: 22, totalSteps: 30, loss: 0.45);
        await page.WaitForAssertionAsync(() => Assert.Equal(22, ChartPoints(page, "Training loss")));
        Assert.Equal(22, ChartPoints(page, "Learning rate"));
        await page.WaitForAssertionAsync(() => Assert.Contains("epoch 3/6 · step 2/10 of the epoch", page.Find(".run-summary").TextContent));

        RunService.Publish(new VptSp.Runs.EpochCompletedEvent(run.Id, 3,
            new Dictionary<string, double> { ["e_recall@1"] = 0.7, ["mAP_R"] = 0.4, ["nmi"] = 0.6, ["f1"] = 0.3 }));
        await page.WaitForAssertionAsync(() => Assert.Equal(10, ChartPoints(page, "Retrieval metrics (%)")));
    }

    [Fact]
    public void RunPageChartsTheRunsSystemSamplesAndSaysTheGpuWasNotMeasured()
    {
        var run = RunService.Seed("done", "completed", epochs: 2);
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < 3; i++)
            RunService.AddSystemSample(run.Id, new VptSp.Runs.SystemMetrics.SystemSample(start.AddSeconds(2 * i), i, 50 + i, 1_000_000_000L + i, null));
        var page = Render<RunPage>(p => p.Add(x => x.Id, run.Id));
        Assert.Equal(3, ChartPoints(page, $"Process CPU (% of {Environment.ProcessorCount} cores)"));
        Assert.Equal(3, ChartPoints(page, "Memory (GB)")); // RSS only: no GPU memory line without a GPU
        Assert.Empty(page.FindAll(".vc-chart[data-title^='GPU']"));
        Assert.Contains("GPU: not measured", page.Find("[data-testid=system-metrics] .system-summary").TextContent);
    }

    [Fact]
    public void RunPageShowsGpuChartsWhereNvmlMeasuredTheRunsDevice()
    {
        var run = RunService.Seed("gpu", "completed", epochs: 2);
        var gpu = new VptSp.Runs.SystemMetrics.GpuReading(0, 95, 40_000_000_000, 80_000_000_000, 420);
        RunService.AddSystemSample(run.Id, new VptSp.Runs.SystemMetrics.SystemSample(DateTimeOffset.UtcNow, 1, 12, 3_000_000_000, gpu));
        var page = Render<RunPage>(p => p.Add(x => x.Id, run.Id));
        Assert.Equal(2, ChartPoints(page, "Memory (GB)"));
        Assert.Equal(2, ChartPoints(page, "GPU utilisation (%) and power (W)"));
        Assert.Contains("GPU 0: mean 95 % busy, peak memory 40.00 of 80 GB · peak power 420 W", page.Find(".system-summary").TextContent);
    }

    [Fact]
    public async Task RunPageAndRunsListShowTheSameProgressAndEta()
    {
        // 6 epochs of 10 steps; eval_start 3 → first evaluation after epoch 4 (step 40).
        var run = RunService.Seed("live", "running", edit: c => c with { EvalStart = 3 });
        var runPage = Render<RunPage>(p => p.Add(x => x.Id, run.Id));
        var list = RenderPage<RunsPage>();
        string Cell(string selector) => list.Find($"td.run-status[data-run='{run.Id}'] {selector}").TextContent.Trim();
        string Card(string selector) => runPage.Find($".run-summary {selector}").TextContent.Trim();

        Assert.Equal("ETA —", Card(".eta"));
        Assert.Contains("first evaluation after epoch 4", Card(".first-evaluation"));

        RunService.Step(run.Id, epoch: 3, step: 22, totalSteps: 60, loss: 0.5, etaReady: false);
        await runPage.WaitForAssertionAsync(() => Assert.Equal("epoch 3/6 · step 2/10 of the epoch", Card(".run-position")));
        await list.WaitForAssertionAsync(() => Assert.StartsWith("epoch 3/6 · step 2/10 of the epoch ·", Cell(".run-progress")));
        Assert.Equal("ETA —", Card(".eta"));
        Assert.Equal("ETA —", Cell(".eta"));
        Assert.Equal("first evaluation after epoch 4", Card(".first-evaluation"));

        // 35 steps left in 35 s; epoch 4 ends 15 steps from now → due in 0:15.
        RunService.Step(run.Id, epoch: 3, step: 25, totalSteps: 60, loss: 0.4);
        await runPage.WaitForAssertionAsync(() => Assert.Equal("ETA 0:35", Card(".eta")));
        await list.WaitForAssertionAsync(() => Assert.Equal("ETA 0:35", Cell(".eta")));
        Assert.Equal("first evaluation after epoch 4, in ≈ 0:15", Card(".first-evaluation"));
    }

    [Fact]
    public async Task LogTabShowsNewLinesWhileTheRunTrains()
    {
        var run = RunService.Seed("live", "running", epochs: 1);
        var page = Render<RunPage>(p => p.Add(x => x.Id, run.Id));
        page.FindAll(".mud-tab").Single(t => t.TextContent.Contains("Log")).Click();
        Assert.DoesNotContain("step 10/10", page.Find(".log-tail").TextContent);

        RunService.AppendLog(run.Id, "epoch 2/6 · step 10/10 of the epoch · loss 1.2000 · 20.0 img/s · ETA 0:01:00");

        // No event carries log lines: the page re-reads the run every 5 s while it is active.
        await page.WaitForAssertionAsync(() => Assert.Contains("step 10/10 of the epoch", page.Find(".log-tail").TextContent), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void RunPageListsTheGroupsTheRunTrains()
    {
        var run = RunService.Seed("groups", "completed", edit: c => c with
        {
            VitPrompt = true, VitBitfit = true, VitProxyNet = false, PromptMemoryBank = false, FullFineTune = false, Adapter = false,
        });
        var page = Render<RunPage>(p => p.Add(x => x.Id, run.Id));
        Assert.Contains("head (fc_norm + head), biases (BitFit), shared prompts, proxy bias (lr_proxy)", page.Find(".run-summary").TextContent);
    }

    [Fact]
    public void RunPageShowsConfigReproducibilityAndArtefactLinks()
    {
        var run = RunService.Seed("done", "completed", epochs: 1, recall: 0.9);
        var page = Render<RunPage>(p => p.Add(x => x.Id, run.Id));

        Assert.Contains("vit_proxy_net: true", page.Find(".config-yaml").TextContent);
        Assert.Equal($"/api/runs/{run.Id}/artefacts/artefacts.safetensors", page.Find(".artefacts a").GetAttribute("href"));
        Assert.Empty(page.FindAll(".cancel-button"));
        Assert.NotNull(page.Find(".failure-gallery"));
    }

    [Theory]
    [InlineData("failed", true)]
    [InlineData("failed", false)]
    [InlineData("cancelled", true)]
    [InlineData("interrupted", false)]
    [InlineData("queued", false)]
    [InlineData("running", true)]
    [InlineData("completed", true)]
    public void RunPageOffersExactlyTheActionsTheApiAllows(string status, bool hasCheckpoint)
    {
        var run = RunService.Seed("r", status, epochs: 1, hasCheckpoint: hasCheckpoint);
        var page = Render<RunPage>(p => p.Add(x => x.Id, run.Id));
        // RunService (behind the API) answers cancel/resume with 409 exactly when RunStates says no
        var allowed = RunActions.For(RunStates.Parse(status), hasCheckpoint);
        Assert.Equal(allowed.Cancel, page.FindAll(".cancel-button").Count == 1);
        Assert.Equal(allowed.Resume, page.FindAll(".resume-button").Count == 1);
    }

    [Fact]
    public void AFailedRunWithACheckpointOffersResumeButNotCancel()
    {
        var run = RunService.Seed("oom", "failed", epochs: 1, hasCheckpoint: true);
        var page = Render<RunPage>(p => p.Add(x => x.Id, run.Id));
        Assert.Single(page.FindAll(".resume-button"));
        Assert.Empty(page.FindAll(".cancel-button"));

        var early = RunService.Seed("early", "failed", epochs: 0, hasCheckpoint: false);
        var earlyPage = Render<RunPage>(p => p.Add(x => x.Id, early.Id));
        Assert.Empty(earlyPage.FindAll(".resume-button"));
    }

    [Fact]
    public void CompareShowsOnlyDifferingKeysAndBestEpochMetrics()
    {
        RunService.Seed("a", "completed", "emoji_vptsp_g", c => c with { Lr = 0.001 }, recall: 0.8, epochs: 2);
        RunService.Seed("b", "completed", "emoji_vptsp_g", c => c with { Lr = 0.002 }, recall: 0.6, epochs: 2);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/compare?ids=1,2");

        var page = RenderPage<ComparePage>();

        var keys = page.FindAll(".config-diff tbody tr td:first-child").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["name", "lr"], keys);
        var best = page.Find(".best-epoch-table").TextContent;
        Assert.Contains("80.00", best);
        Assert.Contains("60.00", best);
        Assert.Single(page.FindAll(".best-epoch-table .best-cell"), c => c.TextContent.Contains("80.00"));
    }
}
