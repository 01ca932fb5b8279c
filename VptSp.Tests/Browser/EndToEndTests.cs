using Microsoft.Playwright;
using VptSp.Core.Training;
using VptSp.Tests.Support;

namespace VptSp.Tests.Browser;

/// <summary>The whole flow over the app's real run platform and training engine: launch, watch, compare.</summary>
[Collection("browser")]
public sealed class EndToEndTests
{
    private const string LossChart = ".vc-chart[data-title='Training loss']";

    /// <summary>Launches the tiny_synthetic preset with <paramref name="seed"/> from the Launch page; returns the new run's id.</summary>
    internal static async Task<long> LaunchTinyRunAsync(BrowserSession browser, string baseUrl, string seed)
    {
        var page = browser.Page;
        await browser.GotoAsync(baseUrl + "/launch?preset=tiny_synthetic");
        foreach (var (key, value) in new[] { ("seed", seed) })
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

    [Fact]
    public async Task LaunchedRunTrainsLiveCompletesAndCompares()
    {
        // A real tiny dataset registered as a data root, and a preset that trains on it in seconds.
        using var data = new SyntheticDataset();
        var configs = Directory.CreateTempSubdirectory("vptsp-e2e-configs-").FullName;
        File.WriteAllText(Path.Combine(configs, "tiny_synthetic.yaml"),
            SyntheticDataset.TinyConfig("vptsp_g").WithOverrides(new Dictionary<string, string> { ["n_epochs"] = "6", ["lr_cosine_length"] = "6" }).ToYaml());
        using var host = new DashboardHost(fakePlatform: false,
            settings: new Dictionary<string, string> { ["Storage:DataRoots:synthetic"] = data.Root },
            presets: new ConfigPresets(configs));
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        var baseUrl = host.BaseUrl;

        var first = await LaunchTinyRunAsync(browser, baseUrl, "3");
        await page.Locator(LossChart).WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });

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

        // A second run with another seed, then Compare the two.
        var second = await LaunchTinyRunAsync(browser, baseUrl, "4");
        await Assertions.Expect(page.Locator(".page-header .status-chip").First)
            .ToHaveAttributeAsync("data-status", "completed", new LocatorAssertionsToHaveAttributeOptions { Timeout = 600_000 });
        await browser.GotoAsync(baseUrl + $"/compare?ids={first},{second}");
        await Assertions.Expect(page.Locator(".config-diff")).ToContainTextAsync("seed");
        await page.Locator(LossChart).WaitForAsync();
        await page.WaitForFunctionAsync($"() => +document.querySelector(\"{LossChart}\").dataset.rendered > 0");
        await browser.ScreenshotAsync("e2e-compare");
    }
}
