using System.Collections.Concurrent;
using System.Diagnostics;

namespace VptSp.Tests.Web.Support;

/// <summary>
/// A real <c>VptSp.Worker</c> process (the project's own build output) on a PostgreSQL store and a shared data directory,
/// named so the tests can tell which worker ran what; killable with SIGKILL.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private WorkerProcess(Process process, string name, ConcurrentQueue<string> output)
    {
        _process = process;
        _output = output;
        Name = name;
    }

    public string Name { get; }
    public bool HasExited => _process.HasExited;

    public string OutputTail(int lines = 40) => string.Join('\n', _output.TakeLast(lines));

    /// <summary>The worker's settings as environment variables (Storage__Provider, …): the same names a user would set.</summary>
    public static WorkerProcess Start(string name, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var output = new ConcurrentQueue<string>();
        var process = ServerProcess.StartDotnet(ServerProcess.ProjectDll("VptSp.Worker"), ["--name", name, .. args], environment, output);
        return new WorkerProcess(process, name, output);
    }

    /// <summary>Runs the worker to its exit (for command-line errors): the exit code and everything it printed.</summary>
    public async Task<(int ExitCode, string Output)> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the redirected output
        return (_process.ExitCode, string.Join('\n', _output));
    }

    /// <summary>SIGKILL: no shutdown code runs, the lease is simply no longer renewed.</summary>
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
}
