using System.Text.RegularExpressions;
using Microsoft.Playwright;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Browser;

/// <summary>The dashboard's pages in Chromium over the real app, with the in-memory run platform behind them.</summary>
[Collection("browser")]
public sealed class DashboardPagesTests
{
    private static ILocator Heading(IPage page) => page.Locator("h1");

    private static async Task<int> RenderedPointsAsync(IPage page, string title) =>
        int.Parse(await page.Locator($".vc-chart[data-title='{title}']").GetAttributeAsync("data-rendered") ?? "0");

    [Fact]
    public async Task EveryPageShowsItsHeadingAndEmptyState()
    {
        using var host = new DashboardHost();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;

        await browser.GotoAsync(host.BaseUrl + "/");
        Assert.Equal("Runs", await Heading(page).InnerTextAsync());
        await Assertions.Expect(page.GetByText("No runs yet — launch the quick demo")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("runs-empty");

        await browser.GotoAsync(host.BaseUrl + "/launch");
        Assert.Equal("Launch a run", await Heading(page).InnerTextAsync());
        await Assertions.Expect(page.Locator("input[name='batch_size']")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("launch");

        await browser.GotoAsync(host.BaseUrl + "/compare");
        Assert.Equal("Compare runs", await Heading(page).InnerTextAsync());
        await Assertions.Expect(page.GetByText("Pick two or more runs to compare")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("compare-empty");

        await browser.GotoAsync(host.BaseUrl + "/datasets");
        Assert.Equal("Datasets", await Heading(page).InnerTextAsync());
        await Assertions.Expect(page.Locator(".data-root")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByText("Noto Emoji by Google — Apache License 2.0")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Twemoji by Twitter — CC-BY 4.0")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("datasets");

        await browser.GotoAsync(host.BaseUrl + "/checkpoints");
        Assert.Equal("Checkpoints", await Heading(page).InnerTextAsync());
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("No imported checkpoints");
        await browser.ScreenshotAsync("checkpoints");

        await browser.GotoAsync(host.BaseUrl + "/runs/99");
        await Assertions.Expect(page.GetByText("Run #99 does not exist")).ToBeVisibleAsync();

        // The demo button queues pre-training then VPTSP-G and the rows appear without a reload.
        await browser.GotoAsync(host.BaseUrl + "/");
        await page.Locator("button.demo-button").ClickAsync();
        await Assertions.Expect(page.Locator("table tbody tr")).ToHaveCountAsync(2);
        Assert.Equal(["emoji_pretrain", "emoji_vptsp_g"], host.Runs.Submissions.Select(s => s.Config).ToArray());
    }

    [Fact]
    public async Task RunsRunAndComparePagesShowLiveDataAndKeepZoom()
    {
        using var host = new DashboardHost();
        host.Runs.Seed("vptsp-g emoji", "completed", "emoji_vptsp_g", recall: 0.82, mapR: 0.51, epochs: 4, tags: ["demo"]);
        host.Runs.Seed("adapter emoji", "completed", "emoji_adapter", recall: 0.74, mapR: 0.44, epochs: 4);
        var running = host.Runs.Seed("vpt cub200", "running", "cub200_small", recall: 0.6, mapR: 0.3, epochs: 2);
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;

        await browser.GotoAsync(host.BaseUrl + "/");
        await Assertions.Expect(page.Locator("table tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("tbody tr").Last).ToContainTextAsync("82.00");
        await browser.ScreenshotAsync("runs");
        await page.SetViewportSizeAsync(1024, 768);
        await page.WaitForTimeoutAsync(300);
        await browser.ScreenshotAsync("runs-1024");
        await page.SetViewportSizeAsync(1366, 900);

        // A running row follows the run's progress without a reload.
        host.Runs.Step(running.Id, epoch: 3, step: 25, totalSteps: 40, loss: 1.1);
        await Assertions.Expect(page.Locator($"td.run-status[data-run='{running.Id}']")).ToContainTextAsync("epoch 3");

        await browser.GotoAsync(host.BaseUrl + $"/runs/{running.Id}");
        Assert.Equal($"#{running.Id} vpt cub200", await Heading(page).InnerTextAsync());
        await page.WaitForFunctionAsync("() => +document.querySelector(\".vc-chart[data-title='Training loss']\").dataset.rendered > 0");
        var before = await RenderedPointsAsync(page, "Training loss");

        // Zoom into the loss chart, then let the run report more steps: the points arrive, the zoom stays.
        var chart = page.Locator(".vc-chart[data-title='Training loss'] svg");
        var box = (await chart.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width * 0.3f, box.Y + box.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width * 0.6f, box.Y + box.Height / 2, new MouseMoveOptions { Steps = 5 });
        await page.Mouse.UpAsync();
        await Assertions.Expect(page.Locator(".vc-chart[data-title='Training loss']")).ToHaveAttributeAsync("data-zoomed", "true");

        for (var s = 26; s <= 30; s++) host.Runs.Step(running.Id, epoch: 3, step: s, totalSteps: 40, loss: 1.0 - s / 100.0);
        await page.WaitForFunctionAsync($"() => +document.querySelector(\".vc-chart[data-title='Training loss']\").dataset.rendered >= {before + 5}");
        await Assertions.Expect(page.Locator(".vc-chart[data-title='Training loss']")).ToHaveAttributeAsync("data-zoomed", "true");
        await Assertions.Expect(page.Locator(".run-summary")).ToContainTextAsync("img/s");
        await browser.ScreenshotAsync("run-live");

        await browser.GotoAsync(host.BaseUrl + "/runs/1");
        await page.WaitForFunctionAsync("() => +document.querySelector(\".vc-chart[data-title='Retrieval metrics (%)']\").dataset.rendered > 0");
        await Assertions.Expect(page.Locator(".config-yaml")).ToContainTextAsync("vit_proxy_net: true");
        await browser.ScreenshotAsync("run-completed");

        // Compare: select two rows on Runs, press Compare.
        await browser.GotoAsync(host.BaseUrl + "/");
        await page.Locator(".run-select input").Nth(1).CheckAsync();
        await page.Locator(".run-select input").Nth(2).CheckAsync();
        await page.Locator("a.compare-button").ClickAsync();
        // Client-side navigation fires no load event: poll the URL rather than WaitForURL.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/compare\?ids=1,2$"));
        await Assertions.Expect(page.Locator(".config-diff")).ToContainTextAsync("adapter");
        await Assertions.Expect(page.Locator(".best-epoch-table")).ToContainTextAsync("R@1");
        await page.WaitForFunctionAsync("() => +document.querySelector(\".vc-chart[data-title='Training loss']\").dataset.rendered > 0");
        await browser.ScreenshotAsync("compare");
        await page.Locator(".x-axis-toggle").GetByText("x: epoch").ClickAsync();
        await page.WaitForFunctionAsync("() => +document.querySelector(\".vc-chart[data-title='Training loss']\").dataset.rendered === 8");

        // Dark mode.
        await page.GetByLabel("Toggle dark mode").ClickAsync();
        await page.WaitForTimeoutAsync(300);
        await browser.ScreenshotAsync("compare-dark");
    }

    [Fact]
    public async Task RowActionsEditTagsAndNotesArchiveAndDeleteAfterConfirming()
    {
        using var host = new DashboardHost();
        host.Runs.Seed("keep", "completed", recall: 0.7, epochs: 1);
        host.Runs.Seed("archive me", "completed", recall: 0.6, epochs: 1);
        host.Runs.Seed("delete me", "failed");
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        await browser.GotoAsync(host.BaseUrl + "/");

        await page.GetByLabel("actions for run 1").ClickAsync();
        await page.Locator(".mud-menu-item", new() { HasText = "Tags and notes" }).ClickAsync();
        await page.Locator(".mud-dialog input").FillAsync("baseline, cpu");
        await page.Locator(".mud-dialog textarea").FillAsync("first try");
        await browser.ScreenshotAsync("runs-notes-dialog");
        await page.Locator(".mud-dialog button", new() { HasText = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr").Last).ToContainTextAsync("baseline");
        Assert.Equal(["baseline", "cpu"], host.Runs.Summary(1).Tags);
        Assert.Equal("first try", host.Runs.Summary(1).Notes);

        await page.GetByLabel("actions for run 2").ClickAsync();
        await page.Locator(".mud-menu-item", new() { HasText = "Archive" }).ClickAsync();
        await Assertions.Expect(page.Locator("table tbody tr")).ToHaveCountAsync(2);
        Assert.True(host.Runs.Summary(2).Archived);

        await page.GetByLabel("actions for run 3").ClickAsync();
        await page.Locator(".mud-menu-item", new() { HasText = "Delete" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync("cannot be undone");
        await page.Locator(".mud-dialog button", new() { HasText = "Cancel" }).ClickAsync();
        await Assertions.Expect(page.Locator("table tbody tr")).ToHaveCountAsync(2);

        await page.GetByLabel("actions for run 3").ClickAsync();
        await page.Locator(".mud-menu-item", new() { HasText = "Delete" }).ClickAsync();
        await page.Locator(".mud-dialog button", new() { HasText = "Delete" }).ClickAsync();
        await Assertions.Expect(page.Locator("table tbody tr")).ToHaveCountAsync(1);
        var left = await host.Runs.ListAsync(new VptSp.Runs.RunFilter(IncludeArchived: true));
        Assert.Equal([1L, 2L], left.Select(r => r.Id).Order().ToArray());
    }

    [Fact]
    public async Task LaunchShowsValidationNextToTheFieldAndQueuesTheRun()
    {
        using var host = new DashboardHost();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;

        await browser.GotoAsync(host.BaseUrl + "/launch");
        var batch = page.Locator("input[name='batch_size']");
        await batch.FillAsync("abc");
        await batch.BlurAsync();
        await Assertions.Expect(page.Locator(".config-field[data-key='batch_size']")).ToContainTextAsync("config key 'batch_size': expected an integer, got 'abc'");
        await Assertions.Expect(page.Locator("button.submit-button")).ToBeDisabledAsync();
        await browser.ScreenshotAsync("launch-error");

        await batch.FillAsync("16");
        await batch.BlurAsync();
        var epochs = page.Locator("input[name='n_epochs']");
        await epochs.FillAsync("2");
        await epochs.BlurAsync();
        await Assertions.Expect(page.Locator("button.submit-button")).ToBeEnabledAsync();
        await page.Locator("button.submit-button").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/runs/1$"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("#1");
        await Assertions.Expect(page.GetByText("queued")).Not.ToHaveCountAsync(0);
        var sent = Assert.Single(host.Runs.Submissions);
        Assert.Equal("emoji_vptsp_g", sent.Config);
        Assert.Equal("2", sent.Overrides!["n_epochs"]);
        await browser.ScreenshotAsync("run-queued");
    }
}

[CollectionDefinition("browser", DisableParallelization = true)]
public sealed class BrowserCollection;
