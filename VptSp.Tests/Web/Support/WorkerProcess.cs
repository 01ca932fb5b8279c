namespace VptSp.Tests.Web.Support;

/// <summary>
/// A real <c>VptSp.Worker</c> process (the project's own build output) on a PostgreSQL store and a shared data directory,
/// named so the tests can tell which worker ran what; killable with SIGKILL.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly DotnetProcess _process;

    private WorkerProcess(DotnetProcess process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }
    public bool HasExited => _process.HasExited;

    public string OutputTail(int lines = 40) => _process.OutputTail(lines);

    /// <summary>The worker's settings as environment variables (Storage__Provider, …): the same names a user would set.</summary>
    public static WorkerProcess Start(string name, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        new(DotnetProcess.Start("VptSp.Worker", ["--name", name, .. args], environment), name);

    /// <summary>Runs the worker to its exit (for command-line errors): the exit code and everything it printed.</summary>
    public async Task<(int ExitCode, string Output)> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync(timeout);
        return (_process.ExitCode, _process.Output);
    }

    /// <summary>SIGKILL: no shutdown code runs, the lease is simply no longer renewed.</summary>
    public void KillHard() => _process.KillHard();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
