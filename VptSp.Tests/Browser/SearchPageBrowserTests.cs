using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using VptSp.Core.Training;
using VptSp.Tests.Support;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Browser;

/// <summary>The Search page in headless Chromium against the app on a real Kestrel port, with a real tiny completed run.</summary>
public sealed class SearchPageBrowserTests : IAsyncLifetime
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private readonly string _profile = Directory.CreateTempSubdirectory("vptsp-chromium-").FullName;
    private readonly SyntheticDataset _data = new();
    private VptSpWebFactory _factory = null!;
    private HttpClient _http = null!;
    private string _baseUrl = "";
    private long _run;
    private long _otherRun;

    public async Task InitializeAsync()
    {
        var port = FreePort();
        // Development: static web assets (blazor.web.js, MudBlazor) are served from the build output, as `dotnet run` does
        _factory = new VptSpWebFactory(_dataDir, engine: null, new Dictionary<string, string?> { ["environment"] = "Development" });
        _factory.UseKestrel(port);
        _factory.StartServer();
        _baseUrl = $"http://127.0.0.1:{port}";
        _http = new HttpClient { BaseAddress = new Uri(_baseUrl) };
        var other = await _http.SubmitAsync(new
        {
            config = SyntheticDataset.TinyConfig("vpt").ToYaml(), overrides = new Dictionary<string, string> { ["lr"] = "0.03" },
            sourcePath = _data.Root, name = "other",
        });
        _otherRun = other["id"]!.GetValue<long>();
        var submitted = await _http.SubmitAsync(new { config = SyntheticDataset.TinyConfig("vpt").ToYaml(), sourcePath = _data.Root, name = "browser" });
        _run = submitted["id"]!.GetValue<long>();
        foreach (var id in new[] { _otherRun, _run })
            Assert.Equal("completed", await Eventually.UntilAsync(() => _http.StatusOfAsync(id), s => s is "completed" or "failed",
                $"tiny run {id}", TimeSpan.FromMinutes(3)));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
        _data.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string ScreenshotPath(string name)
    {
        var dir = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        return Path.Combine(dir, name);
    }

    /// <summary>Sets the file on the page's file input until the interactive circuit picks it up (the first render is prerendered).</summary>
    private static async Task UploadUntil(IPage page, string file, string readySelector)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await page.Locator("input[type=file]:not(.d-none)").SetInputFilesAsync(file);
            try
            {
                await page.Locator(readySelector).First.WaitForAsync(new() { Timeout = 3000 });
                return;
            }
            catch (TimeoutException)
            {
            }
        }
        throw new TimeoutException($"{readySelector} never appeared after uploading {file}");
    }

    [Fact]
    public async Task UploadingAnImageOnTheSearchPageShowsTheTopKGridAndABadFileShowsItsMessage()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var context = await playwright.Chromium.LaunchPersistentContextAsync(_profile, new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
            ViewportSize = new() { Width = 1366, Height = 900 },
        });
        var page = (context.Pages.Count > 0 ? context.Pages[0] : null) ?? await context.NewPageAsync();
        await page.GotoAsync($"{_baseUrl}/search?run={_run}");
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");

        var query = Path.Combine(_data.Root, "class_05", "img_2.png");
        await UploadUntil(page, query, "[data-testid=hit]");
        await Assertions.Expect(page.Locator("[data-testid=hit]")).ToHaveCountAsync(10);
        await Assertions.Expect(page.Locator("[data-testid=latency]")).ToContainTextAsync("ms");
        var first = await page.Locator("[data-testid=hit]").First.InnerTextAsync();
        Assert.Contains("class_05", first);   // the query itself is in the gallery: rank 1, its own class
        Assert.Contains("1.000", first);
        await Assertions.Expect(page.Locator("[data-testid=hit] img").First).ToHaveJSPropertyAsync("complete", true);
        await page.ScreenshotAsync(new() { Path = ScreenshotPath("search-upload.png"), FullPage = true });

        // a gallery pick marks correct (green) and wrong (red) matches and names the first correct rank
        await page.Locator("[data-testid=pick-toggle]").ClickAsync();
        await page.Locator("[data-testid=gallery-pick]").Nth(3).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=first-correct]")).ToContainTextAsync("rank");
        Assert.True(await page.Locator(".vptsp-hit.vptsp-correct").CountAsync() > 0);
        await page.ScreenshotAsync(new() { Path = ScreenshotPath("search-gallery-pick.png"), FullPage = true });

        // side by side: the same query against the other run
        await page.GetByText("Side by side").ClickAsync();
        await Assertions.Expect(page.Locator($"[data-testid=results-{_otherRun}] [data-testid=hit]")).ToHaveCountAsync(10);
        await Assertions.Expect(page.Locator($"[data-testid=results-{_run}] [data-testid=hit]")).ToHaveCountAsync(10);
        await page.ScreenshotAsync(new() { Path = ScreenshotPath("search-side-by-side.png"), FullPage = true });

        // a text file named .png: the message from the server's image check is shown
        var bad = Path.Combine(_profile, "notes.png");
        await File.WriteAllBytesAsync(bad, CraftedImages.Text());
        await page.Locator("input[type=file]:not(.d-none)").SetInputFilesAsync(bad);
        await Assertions.Expect(page.Locator("[data-testid=upload-error]")).ToContainTextAsync("notes.png: not an image");
        await page.ScreenshotAsync(new() { Path = ScreenshotPath("search-bad-upload.png"), FullPage = true });
    }
}
