using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Browser;

/// <summary>
/// The dashboard as `bash scripts/run.sh` serves it (a real process, Production, the published output), in a real
/// Chromium. The data directory holds a generated 240-class emoji dataset instead of the 3,762-image download, so the
/// quick demo's exact configuration (emoji_pretrain for 2 epochs, then emoji_vptsp_g for 1) trains in minutes on 2 cores.
/// </summary>
[Collection("browser")]
public sealed class RunScriptTests : IDisposable
{
    private static readonly string[] Pages = ["/", "/launch", "/compare", "/search", "/datasets", "/checkpoints"];
    private readonly string _dataDir = Directory.CreateTempSubdirectory("vptsp-runsh-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task RunScriptServesEveryAssetAndTheQuickDemoReachesASearchResultThenTheReconnectDialogShowsOneState()
    {
        var emoji = GeneratedEmojiData.Make(_dataDir);
        await using var host = await RunScriptHost.StartAsync(_dataDir);
        await using var browser = await BrowserSession.StartAsync();
        try
        {
            await ServeQuickDemoAndReconnectAsync(host, browser, emoji);
        }
        catch (Exception ex)
        {
            try { await browser.ScreenshotAsync("runsh-failure"); } catch (PlaywrightException) { }
            var log = host.ReadLog();
            throw new InvalidOperationException($"{ex.Message}\n--- run.sh log (last 6000 chars) ---\n{log[Math.Max(0, log.Length - 6000)..]}", ex);
        }
    }

    private static async Task ServeQuickDemoAndReconnectAsync(RunScriptHost host, BrowserSession browser, string emoji)
    {
        var page = browser.Page;
        var responses = new List<(string Url, int Status)>();
        var failed = new List<string>();
        page.Response += (_, r) => { lock (responses) responses.Add((r.Url, r.Status)); };
        page.RequestFailed += (_, r) => { lock (failed) failed.Add($"{r.Url}: {r.Failure}"); };

        // The first circuit of a freshly started process (JIT, first queries) may take long on a busy machine.
        await page.GotoAsync(host.BaseUrl + "/");
        await page.WaitForSelectorAsync(".app-root[data-interactive='true'] h1", new() { Timeout = 180_000 });

        // Every page: the circuit connects (interactive layout) and every asset it loads answers 2xx.
        foreach (var path in Pages)
        {
            lock (responses) responses.Clear();
            // (not BrowserSession.GotoAsync: the Search page has no h1)
            await page.GotoAsync(host.BaseUrl + path);
            await page.WaitForSelectorAsync(".app-root[data-interactive='true']", new() { Timeout = 60_000 });
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            List<(string Url, int Status)> seen;
            lock (responses) seen = responses.ToList();
            Assert.Contains(seen, r => r.Url.Contains("/_framework/blazor.web.") && r.Status == 200);
            Assert.Contains(seen, r => r.Url.Contains("/VptSp.Web.") && r.Url.EndsWith(".styles.css") && r.Status == 200);
            Assert.Contains(seen, r => r.Url.Contains("/_content/MudBlazor/MudBlazor.min.") && r.Url.EndsWith(".js") && r.Status == 200);
            // (101 would be the circuit's WebSocket upgrade, not an asset)
            var bad = seen.Where(r => r.Status is (< 200 or >= 300) and not 101).Select(r => $"{r.Status} {r.Url}").ToList();
            Assert.True(bad.Count == 0, $"{path}: {string.Join("; ", bad)}");
        }
        lock (failed) Assert.True(failed.Count == 0, string.Join("; ", failed));

        // A button works over the circuit: the dark-mode toggle re-renders the app bar with the other icon.
        await browser.GotoAsync(host.BaseUrl + "/");
        var toggle = page.Locator("button[aria-label='Toggle dark mode']");
        var before = await toggle.InnerHTMLAsync();
        await toggle.ClickAsync();
        await Assertions.Expect(toggle).Not.ToHaveJSPropertyAsync("innerHTML", before);

        // The quick demo from the browser: pre-training (#1) then VPTSP-G on its backbone (#2).
        await Assertions.Expect(page.Locator(".demo-estimate.quick")).ToContainTextAsync("of training");
        await page.Locator("button.quick-demo-button").ClickAsync();
        await Assertions.Expect(page.Locator("td.run-status[data-run='2']")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("runsh-quick-demo-queued");
        await browser.GotoAsync(host.BaseUrl + "/runs/2");
        await Assertions.Expect(page.Locator(".page-header .status-chip").First)
            .ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 20 * 60_000 });
        await browser.ScreenshotAsync("runsh-quick-demo-completed");
        using (var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) })
        {
            Assert.Equal("completed", await http.StatusOfAsync(1));
            Assert.Contains("emoji_pretrain (quick demo)", (await http.GetRunAsync(1))["configYaml"]!.GetValue<string>());
        }

        // A search result with the demo's VPTSP-G run: a test-split emoji (class 3) as the query.
        await page.GotoAsync(host.BaseUrl + "/search?run=2");
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        var query = Path.Combine(emoji, "img", "google", "64", "e003.png");
        for (var attempt = 0; attempt < 10 && await page.Locator("[data-testid=hit]").CountAsync() == 0; attempt++)
        {
            await page.Locator("input[type=file]:not(.d-none)").SetInputFilesAsync(query);
            try { await page.Locator("[data-testid=hit]").First.WaitForAsync(new() { Timeout = 5000 }); } catch (TimeoutException) { }
        }
        Assert.True(await page.Locator("[data-testid=hit]").CountAsync() > 0, "no search result");
        await browser.ScreenshotAsync("runsh-search-result");

        // Server stopped (SIGTERM): the styled reconnect dialog shows exactly one state message at a time.
        Assert.True(await host.TerminateAsync(TimeSpan.FromMinutes(3)), "the app did not stop within 3 minutes of SIGTERM");
        Assert.Equal(0, host.ExitCode);
        var modal = page.Locator("#components-reconnect-modal");
        await Assertions.Expect(modal).ToHaveAttributeAsync("open", "", new() { Timeout = 30_000 });
        Assert.Equal("8px", await modal.EvaluateAsync<string>("m => getComputedStyle(m).borderTopLeftRadius")); // scoped CSS loaded
        for (var i = 0; i < 20; i++)
        {
            var visible = await page.Locator("#components-reconnect-modal p:visible").AllInnerTextsAsync();
            Assert.True(visible.Count == 1, $"reconnect dialog shows {visible.Count} messages: {string.Join(" | ", visible)}");
            if (i == 0) await browser.ScreenshotAsync("runsh-reconnect");
            await Task.Delay(500);
        }
    }

    [Fact]
    public async Task SigtermCheckpointsTheRunningRunAndMarksItInterruptedBeforeTheProcessExits()
    {
        GeneratedEmojiData.Make(_dataDir);
        await using var host = await RunScriptHost.StartAsync(_dataDir);
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        var submitted = await http.SubmitAsync(new
        {
            config = "emoji_pretrain",
            overrides = new Dictionary<string, string> { ["n_epochs"] = "500", ["lr_cosine_length"] = "500", ["eval_start"] = "499" },
        });
        var id = submitted["id"]!.GetValue<long>();
        await Eventually.UntilAsync(() => http.GetMetricsAsync(id), m => RunsClient.StepNumbers(m).Length >= 3, $"run {id} to train", TimeSpan.FromMinutes(10));
        Assert.Equal("running", await http.StatusOfAsync(id));

        Assert.True(await host.TerminateAsync(TimeSpan.FromMinutes(3)), "the app did not stop within 3 minutes of SIGTERM");

        Assert.Equal(0, host.ExitCode);
        var runDir = Path.Combine(_dataDir, "runs", id.ToString());
        Assert.True(new VptSp.Core.Training.RunDirectory(runDir).HasCheckpoint, "no checkpoint in " + runDir);
        Assert.Contains("checkpoint saved", File.ReadAllText(Path.Combine(runDir, "log.txt")));
        using var db = new SqliteConnection($"Data Source={Path.Combine(_dataDir, "vptsp.db")};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT Status FROM Runs WHERE Id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        Assert.Equal("interrupted", cmd.ExecuteScalar() as string);
        Assert.Contains($"run {id}: interrupted", host.ReadLog());
    }
}
