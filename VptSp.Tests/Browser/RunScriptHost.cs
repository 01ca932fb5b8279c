using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace VptSp.Tests.Browser;

/// <summary>
/// The dashboard started exactly as a newcomer starts it: <c>bash scripts/run.sh --urls http://127.0.0.1:PORT</c> as a
/// real process (setup check, demo-data check, publish, the published dll in Production), with a temp data directory
/// that already holds a small generated emoji dataset (so nothing is downloaded). Stopped with SIGTERM.
/// </summary>
public sealed class RunScriptHost : IAsyncDisposable
{
    private readonly Process _process;

    private RunScriptHost(Process process, string dataDirectory, string baseUrl, string logFile)
    {
        _process = process;
        DataDirectory = dataDirectory;
        BaseUrl = baseUrl;
        LogFile = logFile;
    }

    public string DataDirectory { get; }

    public string BaseUrl { get; }

    /// <summary>The script's and the app's stdout and stderr.</summary>
    public string LogFile { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "scripts", "run.sh")) && File.Exists(Path.Combine(dir.FullName, "VptSp.sln")))
                    return dir.FullName;
            throw new InvalidOperationException("scripts/run.sh not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Starts run.sh on a free port and waits until the app answers (the publish can take minutes on a busy machine).</summary>
    public static async Task<RunScriptHost> StartAsync(string dataDirectory, TimeSpan? timeout = null)
    {
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var log = Path.Combine(dataDirectory, $"run-sh-{port}.log");
        var start = new ProcessStartInfo("bash")
        {
            // exec: the process we hold becomes run.sh, which itself execs the app, so SIGTERM reaches the app.
            ArgumentList = { "-c", $"exec bash scripts/run.sh --urls {baseUrl} >>'{log}' 2>&1" },
            WorkingDirectory = RepositoryRoot,
            UseShellExecute = false,
        };
        start.Environment["VPTSP_DATA_DIR"] = dataDirectory;
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        // No MSBuild / compiler servers left behind by the test's publish.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        var process = Process.Start(start)!;
        var host = new RunScriptHost(process, dataDirectory, baseUrl, log);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(10));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"run.sh exited with {process.ExitCode} before serving:\n{host.ReadLog()}");
            try
            {
                using var response = await http.GetAsync(baseUrl + "/api/runs");
                if (response.IsSuccessStatusCode) return host;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(500);
        }
        await host.DisposeAsync();
        throw new TimeoutException($"run.sh did not serve {baseUrl} in time:\n{host.ReadLog()}");
    }

    public string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>Sends SIGTERM (what `docker stop`, systemd and `kill` send) and waits for the process to end.</summary>
    public async Task<bool> TerminateAsync(TimeSpan wait)
    {
        if (_process.HasExited) return true;
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString() }, UseShellExecute = false })!)
            await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(wait);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited && !await TerminateAsync(TimeSpan.FromMinutes(3)))
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// A small emoji-datasource tree in the layout scripts/fetch-demo-data.sh leaves (emoji.json, img/&lt;vendor&gt;/64,
/// the completion markers), so run.sh finds the demo data present. Class i goes to pretrain when i % 4 is 0 or 1, to
/// train when 2, to test when 3 (EmojiReader): <paramref name="classes"/> = 240 gives 120 / 60 / 60 classes of 2 images.
/// </summary>
public static class GeneratedEmojiData
{
    public const string Version = "16.0.0";

    public static string Make(string dataDirectory, int classes = 240)
    {
        var root = Path.Combine(dataDirectory, "demo", "emoji");
        var entries = new List<Dictionary<string, object>>();
        foreach (var vendor in new[] { "google", "twitter" })
            Directory.CreateDirectory(Path.Combine(root, "img", vendor, "64"));
        for (var i = 0; i < classes; i++)
        {
            var name = $"e{i:000}.png";
            entries.Add(new()
            {
                ["unified"] = $"E{i:000}", ["image"] = name, ["short_name"] = $"e{i:000}", ["category"] = "Test", ["sort_order"] = i,
                ["has_img_google"] = true, ["has_img_twitter"] = true, ["has_img_apple"] = false,
            });
            foreach (var (vendor, shift) in new[] { ("google", 0), ("twitter", 1) })
                Draw(Path.Combine(root, "img", vendor, "64", name), i, shift);
        }
        File.WriteAllText(Path.Combine(root, "emoji.json"), JsonSerializer.Serialize(entries));
        foreach (var vendor in new[] { "google", "twitter" })
            File.WriteAllText(Path.Combine(root, $".complete-{vendor}-{Version}"), "");
        return root;
    }

    /// <summary>A 64 px picture per class: its own colours and stripe count; the second vendor shifts the stripes a pixel.</summary>
    private static void Draw(string path, int cls, int shift)
    {
        using var image = new Image<Rgba32>(64, 64);
        var a = new Rgba32((byte)(37 * cls % 256), (byte)(91 * cls % 256), (byte)(53 * cls % 256), 255);
        var b = new Rgba32((byte)(255 - a.R), (byte)(255 - a.G), (byte)(128 + cls % 128), 255);
        var stripes = 2 + cls % 7;
        for (var y = 0; y < 64; y++)
            for (var x = 0; x < 64; x++)
                image[x, y] = ((x + shift) * stripes / 64 + y / (8 + cls % 5)) % 2 == 0 ? a : b;
        image.SaveAsPng(path);
    }
}
