using System.Collections.Concurrent;
using System.Diagnostics;

namespace VptSp.Tests.Web.Support;

/// <summary>
/// <c>dotnet &lt;project&gt;.dll</c> — a VptSp project's own build output next to this test build — as a child process with
/// its output kept (standard error prefixed "err: "), killable with SIGKILL and killed with its children on dispose.
/// The one process plumbing under <see cref="ServerProcess"/> and <see cref="WorkerProcess"/>.
/// </summary>
public sealed class DotnetProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private DotnetProcess(Process process) => _process = process;

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>Everything it printed so far.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>The last lines it printed (for failure messages).</summary>
    public string OutputTail(int lines = 40) => string.Join('\n', _output.TakeLast(lines));

    /// <summary>Starts <paramref name="project"/>'s dll from its folder with <paramref name="environment"/> added.</summary>
    public static DotnetProcess Start(string project, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var dll = ProjectDll(project);
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var child = new DotnetProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet"));
        child._process.OutputDataReceived += (_, e) => { if (e.Data is not null) child._output.Enqueue(e.Data); };
        child._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) child._output.Enqueue("err: " + e.Data); };
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for its exit (bounded by <paramref name="timeout"/>) and for the redirected output to drain.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine or the OOM killer stops the process.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit(30_000);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>&lt;project&gt;/bin/&lt;configuration&gt;/&lt;tfm&gt;/&lt;project&gt;.dll next to this test build (same configuration and framework).</summary>
    private static string ProjectDll(string project)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = testBin.Name;
        var configuration = testBin.Parent!.Name;
        var dir = testBin;
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VptSp.sln"))) dir = dir.Parent;
        if (dir is null) throw new DirectoryNotFoundException($"no VptSp.sln above {AppContext.BaseDirectory}");
        var dll = Path.Combine(dir.FullName, project, "bin", configuration, tfm, project + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build {project} first: {dll}", dll);
    }
}
