using System.Net;
using System.Net.Sockets;

namespace VptSp.Tests.Web.Support;

/// <summary>
/// The real server: <c>dotnet VptSp.Web.dll</c> (the web project's own build output) as a child process on a free
/// loopback port over a given data directory — a process that can be killed with SIGKILL, unlike a
/// WebApplicationFactory host.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly DotnetProcess _process;

    private ServerProcess(DotnetProcess process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string BaseUrl { get; }
    public HttpClient Http { get; }
    public int Pid => _process.Pid;

    /// <summary>The last lines the server printed (for failure messages).</summary>
    public string OutputTail(int lines = 40) => _process.OutputTail(lines);

    /// <summary>Starts the server over <paramref name="dataDirectory"/>; <paramref name="environment"/> adds settings (e.g. Storage__Provider).</summary>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var env = new Dictionary<string, string>
        {
            ["Storage__DataDirectory"] = dataDirectory,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            // the path policy admits datasets under registered roots: the tests' synthetic datasets' folder
            ["Storage__DataRoots__synthetic"] = VptSp.Tests.Support.SyntheticDataset.Folder,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) env[key] = value;
        var process = DotnetProcess.Start("VptSp.Web", ["--urls", url], env);
        var server = new ServerProcess(process, url);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"the server exited with {process.ExitCode}:\n{server.OutputTail()}");
            try
            {
                if ((await server.Http.GetAsync("/api/runs")).StatusCode == HttpStatusCode.OK) return server;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the server did not answer on {url}:\n{server.OutputTail()}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine or the OOM killer stops the process.</summary>
    public void KillHard() => _process.KillHard();

    /// <summary>Resident and peak resident memory (kB) from /proc; the peak is reset by <see cref="ResetPeakMemory"/>.</summary>
    public (long RssKb, long PeakKb) Memory()
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kb(line);
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kb(line);
        }
        return (rss, peak);
        static long Kb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }

    /// <summary>Resets the kernel's peak-RSS counter of the process (writing 5 to /proc/PID/clear_refs).</summary>
    public void ResetPeakMemory() => File.WriteAllText($"/proc/{Pid}/clear_refs", "5");

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return; // disposed early by a test (to read the database) and again by its using
        _disposed = true;
        Http.Dispose();
        await _process.DisposeAsync();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
