using Microsoft.Playwright;

namespace VptSp.Tests.Browser;

/// <summary>The whole flow over the app's real run platform and training engine: launch, watch, compare.</summary>
[Collection("browser")]
public sealed class EndToEndTests
{
    private const string LossChart = ".vc-chart[data-title='Training loss']";

    private static async Task<long> LaunchTinyRunAsync(BrowserSession browser, string baseUrl, string lr)
    {
        var page = browser.Page;
        await browser.GotoAsync(baseUrl + "/launch?preset=emoji_pretrain");
        foreach (var (key, value) in new[] { ("n_epochs", "1"), ("lr", lr) })
        {
            var input = page.Locator($"input[name='{key}']");
            await input.FillAsync(value);
            await input.BlurAsync();
        }
        await Assertions.Expect(page.Locator("button.submit-button")).ToBeEnabledAsync();
        await page.Locator("button.submit-button").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/runs/\d+$"));
        return long.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..]);
    }

    [Fact(Skip = "needs the training engine and the web platform services (enable once the web and trainer branches are merged)")]
    public async Task LaunchedRunTrainsLiveCompletesAndCompares()
    {
        using var host = new DashboardHost(fakePlatform: false);
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        var baseUrl = host.BaseUrl;

        var first = await LaunchTinyRunAsync(browser, baseUrl, "0.001");

        // The loss chart gains points while the run trains, without a reload.
        await page.WaitForFunctionAsync($"() => +document.querySelector(\"{LossChart}\").dataset.rendered > 0",
            null, new PageWaitForFunctionOptions { Timeout = 300_000 });
        var seen = int.Parse(await page.Locator(LossChart).GetAttributeAsync("data-rendered") ?? "0");
        await browser.ScreenshotAsync("e2e-run-training");
        await page.WaitForFunctionAsync($"() => +document.querySelector(\"{LossChart}\").dataset.rendered > {seen} || document.querySelector('.status-chip').dataset.status === 'completed'",
            null, new PageWaitForFunctionOptions { Timeout = 300_000 });
        await Assertions.Expect(page.Locator("h1 + div .status-chip, .page-header .status-chip").First)
            .ToHaveAttributeAsync("data-status", "completed", new LocatorAssertionsToHaveAttributeOptions { Timeout = 600_000 });
        await browser.ScreenshotAsync("e2e-run-completed");

        // Completed on Runs.
        await browser.GotoAsync(baseUrl + "/");
        await Assertions.Expect(page.Locator($"td.run-status[data-run='{first}'] .status-chip")).ToHaveAttributeAsync("data-status", "completed");
        await browser.ScreenshotAsync("e2e-runs");

        // A second run with another learning rate, then Compare the two.
        var second = await LaunchTinyRunAsync(browser, baseUrl, "0.002");
        await Assertions.Expect(page.Locator(".page-header .status-chip").First)
            .ToHaveAttributeAsync("data-status", "completed", new LocatorAssertionsToHaveAttributeOptions { Timeout = 600_000 });
        await browser.GotoAsync(baseUrl + $"/compare?ids={first},{second}");
        await Assertions.Expect(page.Locator(".config-diff")).ToContainTextAsync("lr");
        await page.WaitForFunctionAsync($"() => +document.querySelector(\"{LossChart}\").dataset.rendered > 0");
        await browser.ScreenshotAsync("e2e-compare");
    }
}
