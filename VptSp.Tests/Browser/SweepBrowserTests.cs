using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using VptSp.Core.Training;
using VptSp.Tests.Support;

namespace VptSp.Tests.Browser;

/// <summary>A sweep launched from the browser over the real queue and engine: its groups, band, parallel coordinates and results table.</summary>
[Collection("browser")]
public sealed class SweepBrowserTests
{
    [Fact]
    public async Task SweepOfTwoKeysAndThreeSeedsLaunchedFromTheBrowserCompletesAndItsGroupRowsAreTheRunsMeanAndStd()
    {
        using var data = new SyntheticDataset();
        var configs = Directory.CreateTempSubdirectory("vptsp-sweep-configs-").FullName;
        File.WriteAllText(Path.Combine(configs, "tiny_synthetic.yaml"), SyntheticDataset.TinyConfig("vptsp_g").ToYaml());
        using var host = new DashboardHost(fakePlatform: false,
            settings: new Dictionary<string, string> { ["Storage:DataRoots:synthetic"] = data.Root },
            presets: new ConfigPresets(configs));
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        var baseUrl = host.BaseUrl;
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };

        await browser.GotoAsync(baseUrl + "/sweeps?preset=tiny_synthetic");
        await page.Locator("[name='sweep-name']").FillAsync("browser sweep");
        await page.Locator("[name='sweep-parameters']").FillAsync("lr = 0.003, 0.01\nnum_prompt = 1, 2");
        await page.Locator("[name='sweep-seeds']").FillAsync("0, 1, 2");
        await page.Locator("[name='sweep-seeds']").BlurAsync();
        await browser.ScreenshotAsync("sweep-form");
        await page.Locator("button.sweep-submit").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/sweeps/\d+$"));
        var sweepId = long.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture);

        // 2 × 2 combinations × 3 seeds = 12 runs on the queue; the page follows them live.
        await Assertions.Expect(page.Locator(".page-header .status-chip").First)
            .ToHaveAttributeAsync("data-status", "completed", new LocatorAssertionsToHaveAttributeOptions { Timeout = 1_200_000 });
        await Assertions.Expect(page.Locator("tr.group-row")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("polyline.pc-line")).ToHaveCountAsync(12);
        await Assertions.Expect(page.Locator(".band-series")).ToHaveCountAsync(4);
        await browser.ScreenshotAsync("sweep-groups-band-parallel");

        // Each group row's R@1 is the mean ± sample std of its runs' best R@1, recomputed here from the runs API.
        var rows = page.Locator("tr.group-row");
        for (var i = 0; i < 4; i++)
        {
            var row = rows.Nth(i);
            var group = await row.GetAttributeAsync("data-group");
            await row.Locator(".group-expand").ClickAsync();
            var runRows = page.Locator($"tr.group-run[data-group='{group}']");
            await Assertions.Expect(runRows).ToHaveCountAsync(3);
            var values = new List<double>();
            foreach (var id in await runRows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.run)"))
            {
                var run = JsonNode.Parse(await http.GetStringAsync($"/api/runs/{id}"))!;
                Assert.Equal("completed", run["status"]!.GetValue<string>());
                values.Add(run["run"]!["bestRecallAt1"]!.GetValue<double>());
            }
            var mean = values.Average();
            var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
            var expected = $"{(100 * mean).ToString("0.00", CultureInfo.InvariantCulture)} ± {(100 * std).ToString("0.00", CultureInfo.InvariantCulture)}";
            Assert.Equal(expected, (await row.Locator("[data-metric='recall@1']").TextContentAsync())!.Trim());
            Assert.Equal("3/3", (await row.Locator(".group-n").TextContentAsync())!.Trim());
        }
        await browser.ScreenshotAsync("sweep-groups-expanded");

        // The results table of the sweep: one row per combination, exported as LaTeX from the page.
        await page.Locator("a.sweep-results").ClickAsync();
        await Assertions.Expect(page.Locator("tr.results-row")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("pre.results-export")).ToContainTextAsync("| Run / group | n | R@1 | R@2 | MAP@R | MAP@R (ref.) |");
        await page.Locator(".results-format button", new() { HasText = "LaTeX" }).ClickAsync();
        await Assertions.Expect(page.Locator("pre.results-export")).ToContainTextAsync("\\toprule");
        await browser.ScreenshotAsync("sweep-results-table");
        var sweep = JsonNode.Parse(await http.GetStringAsync($"/api/sweeps/{sweepId}"))!;
        Assert.Equal(12, sweep["runs"]!.AsArray().Count);

        // The embedding map of one completed run: a point per gallery image, its thumbnail on hover, a click opens Search with it.
        var runId = sweep["runs"]![0]!["id"]!.GetValue<long>();
        var map = JsonNode.Parse(await http.GetStringAsync($"/api/runs/{runId}/embedding-map"))!;
        await browser.GotoAsync(baseUrl + $"/runs/{runId}/map");
        var points = page.Locator("circle.map-point");
        await Assertions.Expect(points).ToHaveCountAsync(map["points"]!.AsArray().Count, new LocatorAssertionsToHaveCountOptions { Timeout = 120_000 });
        await points.Nth(3).HoverAsync();
        await Assertions.Expect(page.Locator("img.map-thumbnail")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("embedding-map");
        var index = await points.Nth(3).GetAttributeAsync("data-index");
        await points.Nth(3).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($@"/search\?run={runId}&gallery={index}$"));
        // The map's point titles also name "gallery image #N": first wait until the Search page has replaced the map.
        await Assertions.Expect(page.GetByText("Search by image")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("circle.map-point")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync($"gallery image #{index}", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });
        await browser.ScreenshotAsync("embedding-map-search");
    }
}
