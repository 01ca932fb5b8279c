using Microsoft.Playwright;

namespace VptSp.Tests.Browser;

/// <summary>
/// Issue #22 in Chromium: a run named like markup renders as text on /runs and in the /compare chart's legend and
/// tooltip, and the pages work under the Content-Security-Policy with no violation reported.
/// </summary>
[Collection("browser")]
public sealed class ScriptInNamesBrowserTests
{
    private const string Xss = "<img src=x onerror=\"window.__xss=1\">";

    // Records every CSP violation the page reports, from before any of its scripts run.
    private const string CspRecorder =
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));";

    [Fact]
    public async Task AScriptLookingRunNameIsShownAsTextOnRunsAndCompareAndRunsNoScript()
    {
        using var host = new DashboardHost();
        host.Runs.Seed(Xss, "completed", "emoji_vptsp_g", recall: 0.82, mapR: 0.51, epochs: 4);
        host.Runs.Seed(Xss + " 2", "completed", "emoji_adapter", recall: 0.74, mapR: 0.44, epochs: 4);
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        await browser.Context.AddInitScriptAsync(CspRecorder);

        await browser.GotoAsync(host.BaseUrl + "/");
        await Assertions.Expect(page.Locator("table tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("tbody")).ToContainTextAsync(Xss);

        await browser.GotoAsync(host.BaseUrl + "/compare?ids=1,2");
        var chart = page.Locator(".vc-chart[data-title='Training loss']");
        await page.WaitForFunctionAsync("() => +document.querySelector(\".vc-chart[data-title='Training loss']\").dataset.rendered > 0");
        await Assertions.Expect(chart.Locator(".vc-legend")).ToContainTextAsync(Xss);

        // Hover the plot: the tooltip lists every series by name.
        var box = (await chart.Locator("svg").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width * 0.5f, box.Y + box.Height * 0.5f, new MouseMoveOptions { Steps = 3 });
        var tip = chart.Locator(".vc-tip");
        await Assertions.Expect(tip).ToBeVisibleAsync();
        await Assertions.Expect(tip).ToContainTextAsync(Xss + ":");
        await Assertions.Expect(tip).ToContainTextAsync(Xss + " 2:");
        Assert.Equal(0, await page.Locator(".vc-chart img").CountAsync());
        await page.WaitForTimeoutAsync(300); // an <img src=x> would have failed to load by now
        await browser.ScreenshotAsync("compare-script-name");

        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__xss"));
        Assert.Equal("[]", await page.EvaluateAsync<string>("() => JSON.stringify(window.__csp)"));
    }

    [Fact]
    public async Task EveryPageWorksUnderTheContentSecurityPolicyWithoutAViolation()
    {
        using var host = new DashboardHost();
        host.Runs.Seed("vptsp-g emoji", "completed", "emoji_vptsp_g", recall: 0.82, mapR: 0.51, epochs: 4, tags: ["demo"]);
        host.Runs.Seed("adapter emoji", "completed", "emoji_adapter", recall: 0.74, mapR: 0.44, epochs: 4);
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        await browser.Context.AddInitScriptAsync(CspRecorder);
        var response = await page.GotoAsync(host.BaseUrl + "/");
        Assert.Contains("frame-ancestors 'none'", (await response!.AllHeadersAsync())["content-security-policy"]);

        foreach (var path in new[] { "/", "/launch", "/compare?ids=1,2", "/runs/1", "/sweeps", "/results", "/datasets", "/checkpoints" })
        {
            // GotoAsync waits for the interactive circuit: the WebSocket to /_blazor connected under connect-src.
            await browser.GotoAsync(host.BaseUrl + path);
            Assert.Equal("[]", await page.EvaluateAsync<string>("() => JSON.stringify(window.__csp)"));
        }
        // A dialog (MudBlazor's inline styles and its script) opens and closes.
        await browser.GotoAsync(host.BaseUrl + "/");
        await page.GetByLabel("actions for run 1").ClickAsync();
        await page.Locator(".mud-menu-item", new() { HasText = "Tags and notes" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToBeVisibleAsync();
        await page.Locator(".mud-dialog button", new() { HasText = "Cancel" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        Assert.Equal("[]", await page.EvaluateAsync<string>("() => JSON.stringify(window.__csp)"));
    }
}
