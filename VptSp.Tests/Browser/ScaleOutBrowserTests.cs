using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using VptSp.Core.Training;
using VptSp.Tests.Support;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Browser;

/// <summary>
/// The scale-out flow as a user drives it: a dashboard on PostgreSQL with no in-process worker and two real
/// <c>VptSp.Worker</c> processes; two runs launched from the browser train in parallel on the two workers with live
/// curves and the worker shown on the Runs page; one worker is killed with SIGKILL and its run completes on the other
/// with every epoch exactly once.
/// </summary>
[Collection("browser")]
public sealed class ScaleOutBrowserTests
{
    private const int Epochs = 8;
    private const string LossChart = ".vc-chart[data-title='Training loss']";

    [SkippableFact]
    public async Task TwoRunsLaunchedInTheBrowserTrainOnTwoWorkersLiveAndAKilledWorkersRunCompletesOnTheOther()
    {
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        postgres.SkipIfUnavailable();
        var cs = await postgres.CreateDatabaseAsync();
        using var data = new SyntheticDataset(classes: 8, imagesPerClass: 40);
        var configs = Directory.CreateTempSubdirectory("vptsp-scale-configs-").FullName;
        File.WriteAllText(Path.Combine(configs, "tiny_synthetic.yaml"), SyntheticDataset.TinyConfig("vptsp_g")
            .WithOverrides(new Dictionary<string, string> { ["n_epochs"] = $"{Epochs}", ["lr_cosine_length"] = $"{Epochs}" }).ToYaml());
        var store = new Dictionary<string, string>
        {
            ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = cs,
            ["Workers:LeaseSeconds"] = "6", ["Workers:HeartbeatSeconds"] = "1",
        };
        using var host = new DashboardHost(fakePlatform: false,
            settings: new Dictionary<string, string>(store) { ["Workers:InProcess"] = "false", ["Storage:DataRoots:synthetic"] = data.Root },
            presets: new ConfigPresets(configs));
        var baseUrl = host.BaseUrl; // starts the dashboard: the database is migrated before the workers start
        var workerEnv = store.ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);
        workerEnv["Storage__DataDirectory"] = host.DataDirectory;
        await using var w1 = WorkerProcess.Start("w1", workerEnv);
        await using var w2 = WorkerProcess.Start("w2", workerEnv);
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;

        var first = await EndToEndTests.LaunchTinyRunAsync(browser, baseUrl, "3");
        var second = await EndToEndTests.LaunchTinyRunAsync(browser, baseUrl, "4");

        // Both train at the same time, one per worker, and the Runs page says which worker runs what.
        await browser.GotoAsync(baseUrl + "/");
        foreach (var id in new[] { first, second })
            await Assertions.Expect(page.Locator($"td.run-status[data-run='{id}'] .status-chip"))
                .ToHaveAttributeAsync("data-status", "running", new LocatorAssertionsToHaveAttributeOptions { Timeout = 120_000 });
        var workers = await page.Locator("td.run-worker").AllInnerTextsAsync();
        Assert.Contains(workers, w => w.StartsWith("w1 · cpu", StringComparison.Ordinal));
        Assert.Contains(workers, w => w.StartsWith("w2 · cpu", StringComparison.Ordinal));
        await browser.ScreenshotAsync("scale-out-runs-two-workers");

        // Live curve of a run on a remote worker, without a reload (LISTEN/NOTIFY → SignalR).
        await browser.GotoAsync(baseUrl + $"/runs/{first}");
        await page.Locator(LossChart).WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await page.WaitForFunctionAsync($"() => +document.querySelector(\"{LossChart}\").dataset.rendered > 0", null, new PageWaitForFunctionOptions { Timeout = 120_000 });
        var seen = int.Parse(await page.Locator(LossChart).GetAttributeAsync("data-rendered") ?? "0");
        await page.WaitForFunctionAsync($"() => +document.querySelector(\"{LossChart}\").dataset.rendered > {seen}", null, new PageWaitForFunctionOptions { Timeout = 120_000 });
        await browser.ScreenshotAsync("scale-out-live-curve");

        // Kill the worker of the first run once it has a checkpoint; the other worker finishes it.
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var run = await Eventually.UntilAsync(() => http.GetRunAsync(first), r => r["run"]!["epochsCompleted"]!.GetValue<int>() >= 2, "two epochs of the first run", TimeSpan.FromMinutes(4));
        var owner = run["run"]!["worker"]!.GetValue<string>().Split(" · ")[0];
        var (victim, survivor) = owner == "w1" ? (w1, w2) : (w2, w1);
        victim.KillHard();

        await browser.GotoAsync(baseUrl + $"/runs/{first}");
        await Assertions.Expect(page.Locator(".page-header .status-chip").First)
            .ToHaveAttributeAsync("data-status", "completed", new LocatorAssertionsToHaveAttributeOptions { Timeout = 480_000 });
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync($"{survivor.Name} · cpu");
        await browser.ScreenshotAsync("scale-out-completed-on-survivor");
        await http.WaitForStatusAsync(second, "completed");

        var metrics = await http.GetMetricsAsync(first);
        Assert.Equal(Enumerable.Range(1, Epochs), RunsClient.EpochNumbers(metrics));
        var steps = RunsClient.StepNumbers(metrics);
        Assert.Equal(Enumerable.Range(1, steps.Length), steps);
    }
}
