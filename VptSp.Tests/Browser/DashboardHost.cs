using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using VptSp.Core.Training;
using VptSp.Tests.Web.Support;
using VptSp.Runs;
using VptSp.Runs.DataRoots;

namespace VptSp.Tests.Browser;

/// <summary>
/// The real web app on Kestrel at a free loopback port, with a temp data directory. With <paramref name="fakePlatform"/>
/// the run platform is the in-memory double (pages only); without it the app's own services run (end-to-end).
/// </summary>
public sealed class DashboardHost : WebApplicationFactory<Program>
{
    private readonly bool _fakePlatform;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly ConfigPresets? _presets;

    /// <param name="settings">Extra configuration (e.g. Storage:DataRoots:name).</param>
    /// <param name="presets">Presets to offer instead of the repository's configs/.</param>
    public DashboardHost(bool fakePlatform = true, IReadOnlyDictionary<string, string>? settings = null, ConfigPresets? presets = null)
    {
        _fakePlatform = fakePlatform;
        _settings = settings ?? new Dictionary<string, string>();
        _presets = presets;
        DataDirectory = Directory.CreateTempSubdirectory("vptsp-browser-").FullName;
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    public string DataDirectory { get; }

    public InMemoryRunService Runs { get; } = new();

    public InMemoryDataRoots DataRoots { get; } = new();

    public string BaseUrl
    {
        get
        {
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            return addresses.First().TrimEnd('/');
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("VPTSP_DATA_DIR", DataDirectory);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (_presets is { } presets)
            builder.ConfigureTestServices(services => services.AddSingleton(presets));
        if (!_fakePlatform) return;
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IRunService>(Runs);
            services.AddSingleton<IRunEvents>(Runs);
            services.AddSingleton<IDataRootService>(DataRoots);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Debian's Chromium through Playwright (no browser download), one persistent context per test.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private BrowserSession(IPlaywright playwright, IBrowserContext context, IPage page, string profile)
    {
        _playwright = playwright;
        Context = context;
        Page = page;
        _profile = profile;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public static string ScreenshotDir
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("VPTSP_SCREENSHOT_DIR")
                ?? Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public static async Task<BrowserSession> StartAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("vptsp-chromium-").FullName;
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
        return new BrowserSession(playwright, context, page, profile);
    }

    /// <summary>Opens a page of the app and waits until the Blazor circuit is interactive.</summary>
    public async Task GotoAsync(string url)
    {
        await Page.GotoAsync(url);
        // The prerendered HTML arrives first; MainLayout marks the layout once the circuit renders it interactively.
        await Page.WaitForSelectorAsync(".app-root[data-interactive='true'] h1");
    }

    public async Task ScreenshotAsync(string name) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
