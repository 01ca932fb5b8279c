using VptSp.Core.Training;
using Bunit;
using VptSp.Web.Components.Pages.Runs;
using VptSp.Web.Components.Shared;

namespace VptSp.Tests.Web.Components;

[Collection("bunit-pages")]
public sealed class RunsPageTests : PageTestContext
{
    private static IReadOnlyList<string> RowNames(IRenderedComponent<RunsPage> page) =>
        page.FindAll("td.run-name a").Select(a => a.TextContent.Trim()).ToList();

    private void SeedThree()
    {
        RunService.Seed("vpt-emoji", "completed", "emoji_vptsp_g", recall: 0.8, mapR: 0.5, epochs: 3, tags: ["baseline"]);
        RunService.Seed("cub-small", "running", "cub200_small", epochs: 1);
        RunService.Seed("emoji-adapter", "failed", "emoji_adapter");
    }

    [Fact]
    public void RunsTableListsEveryRunWithItsColumns()
    {
        SeedThree();
        var page = RenderPage<RunsPage>();

        Assert.Equal(["#3 emoji-adapter", "#2 cub-small", "#1 vpt-emoji"], RowNames(page));
        var first = page.FindAll("tbody tr")[^1].TextContent;
        Assert.Contains("80.00", first);          // best R@1 in percent
        Assert.Contains("50.00", first);          // best MAP@R
        Assert.Contains("3/", first);             // epochs completed / planned
        Assert.Contains("baseline", first);       // tag chip
        Assert.Equal("gpu-box:101 · cuda:0", page.FindAll("td.run-worker")[^1].TextContent.Trim()); // which worker ran it
        Assert.Equal(["failed", "running", "completed"], page.FindAll(".status-chip").Select(c => c.GetAttribute("data-status")!).ToList());
    }

    [Fact]
    public async Task RunsTableFiltersByStatusDatasetAndMethod()
    {
        SeedThree();
        var page = RenderPage<RunsPage>();
        var bar = page.FindComponent<RunsFilterBar>();

        // Each filter change reloads the list asynchronously: wait for the rows it leads to.
        await page.InvokeAsync(() => bar.Instance.FilterChanged.InvokeAsync(new RunTableFilter(Status: "running")));
        page.WaitForAssertion(() => Assert.Equal(["#2 cub-small"], RowNames(page)));

        await page.InvokeAsync(() => bar.Instance.FilterChanged.InvokeAsync(new RunTableFilter(Dataset: "emoji")));
        page.WaitForAssertion(() => Assert.Equal(["#3 emoji-adapter", "#1 vpt-emoji"], RowNames(page)));

        await page.InvokeAsync(() => bar.Instance.FilterChanged.InvokeAsync(new RunTableFilter(Dataset: "emoji", Method: "adapter")));
        page.WaitForAssertion(() => Assert.Equal(["#3 emoji-adapter"], RowNames(page)));

        // The menus offer the values present in the history.
        Assert.Equal(["cub200", "emoji"], bar.Instance.Datasets);
        Assert.Equal(["adapter", "vptsp_g"], bar.Instance.Methods.Order().ToList());
    }

    [Fact]
    public async Task RunsTableFiltersByTextTypedInTheSearchBox()
    {
        SeedThree();
        var page = RenderPage<RunsPage>();

        page.Find(".filter-text input").Input("baseline"); // a tag
        await page.WaitForAssertionAsync(() => Assert.Equal(["#1 vpt-emoji"], RowNames(page)));

        page.Find(".filter-text input").Input("nothing-like-this");
        await page.WaitForAssertionAsync(() => Assert.Contains("No runs match these filters", page.Markup));
    }

    [Fact]
    public async Task RunningRowUpdatesLiveWithoutReload()
    {
        SeedThree();
        var page = RenderPage<RunsPage>();
        var before = RunService.SubscriberCount;
        Assert.True(before >= 1);

        RunService.Step(2, epoch: 1, step: 5, totalSteps: 10, loss: 1.5);
        await page.WaitForAssertionAsync(() => Assert.Contains("epoch 1", page.Find("td.run-status[data-run='2']").TextContent));

        RunService.SetStatus(2, "completed", recall: 0.654);
        await page.WaitForAssertionAsync(() =>
        {
            var cell = page.Find("td.run-status[data-run='2']");
            Assert.Equal("completed", cell.QuerySelector(".status-chip")!.GetAttribute("data-status"));
            Assert.DoesNotContain("epoch 1", cell.TextContent);
        });
        Assert.Contains("65.40", page.FindAll("tbody tr")[1].TextContent);

        // A run queued elsewhere appears without a reload.
        RunService.Seed("from-cli", "queued");
        RunService.Publish(new VptSp.Runs.RunStateChangedEvent(4, RunState.Queued, null));
        await page.WaitForAssertionAsync(() => Assert.Equal("#4 from-cli", RowNames(page)[0]));
    }

    [Fact]
    public async Task EmptyHistoryOffersTheQuickDemoAndQueuesShortPretrainingThenVptspGOnItsBackbone()
    {
        var page = RenderPage<RunsPage>();
        Assert.Contains("No runs yet — launch the quick demo", page.Markup);

        page.Find("button.quick-demo-button").Click();

        await page.WaitForAssertionAsync(() => Assert.Equal(["emoji_pretrain", "emoji_vptsp_g"], RunService.Submissions.Select(s => s.Config).ToList()));
        var (pre, main) = (RunService.Submissions[0], RunService.Submissions[1]);
        Assert.Equal("2", pre.Overrides!["n_epochs"]);
        // each launch exports its own backbone (the path policy never replaces a file) and trains on exactly that one
        Assert.Matches(@"^backbones/emoji_vit_quick-\d{8}-\d{6}-\d{3}\.safetensors$", pre.Overrides["export_backbone"]);
        Assert.Equal("1", main.Overrides!["n_epochs"]);
        Assert.Equal(pre.Overrides["export_backbone"], main.Overrides["backbone_checkpoint"]);
        await page.WaitForAssertionAsync(() => Assert.Equal(2, page.FindAll("tbody tr").Count));
    }

    [Fact]
    public void EmptyHistoryShowsTheDemosTrainingTimeFromTheSplitSizes()
    {
        // InMemoryDataRoots: pretrain 3,200 and train 800 images. Quick: 2 × 3,200 + 800 = 7,200 images;
        // full: 12 × 3,200 + 6 × 800 = 43,200. At 82 img/s: 88 s = 1:28; at 20 img/s: 360 s = 6:00.
        var page = RenderPage<RunsPage>();

        var quick = page.Find(".demo-estimate.quick").TextContent;
        Assert.Contains("≈ 1:28–6:00 of training (7,200 images at the 82–20 img/s", quick);
        Assert.Contains("(43,200 images", page.Find(".demo-estimate.full").TextContent);
    }

    [Fact]
    public void DemoEstimateUsesTheRateARunMeasured()
    {
        var estimate = new VptSp.Web.Components.Pages.Runs.DemoEstimate(3762, 956, 12, 6, MeasuredImagesPerSecond: 21);
        // 2 × 3,762 + 956 = 8,480 images / 21 img/s = 403.8 s → 404 s = 6:44.
        Assert.Equal("≈ 6:44 of training (8,480 images at the 21 img/s run #3 measured here)", estimate.Describe(quick: true, measuredBy: 3));
        Assert.Equal(21.5, VptSp.Web.Components.Pages.Runs.DemoEstimate.MedianRate(
            [new(1, 1, 1, 1, 30), new(2, 1, 1, 1, 20), new(3, 1, 1, 1, 23), new(4, 1, 1, 1, 19)]));
    }

    [Fact]
    public async Task SelectingTwoRunsEnablesCompareWithTheirIds()
    {
        SeedThree();
        var page = RenderPage<RunsPage>();
        var compare = page.Find(".compare-button");
        Assert.True(compare.HasAttribute("disabled") || compare.ClassList.Contains("mud-button-disabled"));

        page.FindAll(".run-select input")[0].Change(true);
        page.FindAll(".run-select input")[2].Change(true);

        await page.WaitForAssertionAsync(() => Assert.Equal("/compare?ids=1,3", page.Find("a.compare-button").GetAttribute("href")));
    }

    [Fact]
    public void RunFormatNamesMetricsAsThePapersDo()
    {
        Assert.Equal("R@1", RunFormat.MetricName("e_recall@1"));
        Assert.Equal("MAP@R", RunFormat.MetricName("mAP_R"));
        Assert.Equal("NMI", RunFormat.MetricName("nmi"));
        Assert.Equal(0.5, RunFormat.Find(new Dictionary<string, double> { ["mAP_R"] = 0.5 }, "MAP@R"));
        Assert.Equal("0.55 %", RunFormat.Percent(0.553));
        Assert.Equal("21.7M", RunFormat.Count(21_700_000));
    }
}
