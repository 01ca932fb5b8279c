using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;

namespace VptSp.Tests.Support;

/// <summary>
/// A real, throwaway PostgreSQL server for the tests of the "postgres" collection: Debian's server binaries
/// (/usr/lib/postgresql/NN/bin, highest NN), a cluster initdb'd into a fresh temporary directory, listening on
/// 127.0.0.1 on a free port with its Unix socket inside that directory, trust authentication, superuser
/// <see cref="Username"/>. Disposing stops it (fast shutdown) and deletes the directory, so nothing listens afterwards.
/// As root the server runs as the <c>postgres</c> user (initdb and postgres refuse root) through <c>runuser</c>.
/// <para>
/// When the binaries are absent the tests that ask for a database are <i>skipped</i> (use <c>[SkippableFact]</c>),
/// except under CI=true, where the fixture fails: CI installs the server with scripts/setup.sh --with-postgres.
/// </para>
/// </summary>
public sealed partial class PostgresServer : IAsyncLifetime
{
    /// <summary>The bootstrap superuser of the test cluster (trust auth on loopback, no password).</summary>
    public const string Username = "vptsp";

    public const string Host = "127.0.0.1";

    private const string RunAsUser = "postgres";
    private const string DirPrefix = "vptsp-pg-";
    private const string OwnerFile = "owner.pid";
    private const string NotInstalled = "PostgreSQL is not installed; scripts/setup.sh --with-postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private const string DefaultInstallRoot = "/usr/lib/postgresql";

    private readonly string _installRoot;
    private readonly bool _ci;
    private readonly string _extraSettings;
    private string? _unavailable;
    private string? _root;

    /// <summary>The fixture xunit creates: Debian's install root, CI taken from the environment.</summary>
    public PostgresServer()
        : this(DefaultInstallRoot, Environment.GetEnvironmentVariable("CI"), extraSettings: "")
    {
    }

    /// <summary>For the fixture's own tests: another install root, CI value and postgresql.conf lines.</summary>
    internal PostgresServer(string installRoot, string? ci, string extraSettings)
    {
        _installRoot = installRoot;
        _ci = string.Equals(ci, "true", StringComparison.OrdinalIgnoreCase);
        _extraSettings = extraSettings;
    }

    /// <summary>The folder holding Debian's initdb, pg_ctl and postgres (null when none is installed).</summary>
    public string? BinDir { get; private set; }

    /// <summary>The loopback TCP port the server listens on (valid after start).</summary>
    public int Port { get; private set; }

    /// <summary>The cluster's data directory (inside the temporary directory).</summary>
    public string DataDir => Path.Combine(Root, "data");

    /// <summary>The server log file (initdb's and the server's output).</summary>
    public string LogFile => Path.Combine(Root, "server.log");

    /// <summary>The folder holding the server's Unix socket.</summary>
    public string SocketDir => Path.Combine(Root, "sock");

    /// <summary>
    /// A connection string to the maintenance database <c>postgres</c> as the superuser, unpooled: a later server may get
    /// the same port, and a pooled connection to this one would then be a dead one.
    /// </summary>
    public string AdminConnectionString => ConnectionStringFor("postgres", pooling: false);

    private string Root => _root ?? throw new InvalidOperationException("the PostgreSQL test server has not started");

    public async Task InitializeAsync()
    {
        BinDir = OperatingSystem.IsLinux() ? FindBinDir(_installRoot) : null;
        if (BinDir is null || !OperatingSystem.IsLinux())
        {
            var reason = $"{NotInstalled} (no initdb, pg_ctl and postgres under {_installRoot}/*/bin)";
            if (_ci) throw new InvalidOperationException(reason);
            _unavailable = reason;
            return;
        }

        var tempBase = TempBase();
        await ReapAbandonedAsync(tempBase);
        _root = Directory.CreateDirectory(Path.Combine(tempBase, DirPrefix + Guid.NewGuid().ToString("N")[..12]),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
        await File.WriteAllTextAsync(Path.Combine(_root, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(SocketDir);
        if (Environment.IsPrivilegedProcess)
            await RunAsync("chown", ["-R", $"{RunAsUser}:", _root], asServerUser: false);

        await RunAsync(Path.Combine(BinDir, "initdb"),
            ["-D", DataDir, "-U", Username, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"], asServerUser: true);
        await File.AppendAllTextAsync(Path.Combine(DataDir, "postgresql.conf"), ServerSettings());

        // A free port can be taken between probing and binding (other helpers and test processes share this machine):
        // probe again and retry a few times when the log says the address is in use.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreeLoopbackPort();
            try
            {
                await StartServerAsync();
                break;
            }
            catch (InvalidOperationException) when (attempt < 3 && ReadLogTail().Contains("Address already in use", StringComparison.Ordinal))
            {
                await StopServerAsync();
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_root is null) return;
        // fast shutdown ends open connections; pools are left alone (clearing all would touch other servers' pools)
        await StopServerAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open (a late server process): leave the temp folder, never fail the run on cleanup
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Creates a new, empty database and returns an Npgsql connection string for it (each test gets its own).
    /// Skips the calling <c>[SkippableFact]</c> when PostgreSQL is not installed.
    /// </summary>
    /// <param name="name">A PostgreSQL identifier (lower-case letters, digits, underscores); a unique one when null.</param>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        SkipIfUnavailable();
        name ??= "t_" + Guid.NewGuid().ToString("N");
        if (!DatabaseName().IsMatch(name))
            throw new ArgumentException($"database name '{name}' is not a plain lower-case identifier of at most 63 characters", nameof(name));

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionStringFor(name);
    }

    /// <summary>Skips the calling <c>[SkippableFact]</c> when PostgreSQL is not installed (never under CI=true).</summary>
    public void SkipIfUnavailable() => Skip.If(_unavailable is not null, _unavailable);

    /// <summary>The last lines of the server log (for failure messages).</summary>
    public string ReadLogTail(int lines = 30)
    {
        if (_root is null || !File.Exists(LogFile)) return "(no server log)";
        var all = File.ReadAllLines(LogFile);
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    private string ConnectionStringFor(string database, bool pooling = true) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = Username,
        Database = database,
        Pooling = pooling,
    }.ConnectionString;

    /// <summary>Debian installs each major version's server under /usr/lib/postgresql/NN/bin; the highest complete one wins.</summary>
    private static string? FindBinDir(string parent)
    {
        if (!Directory.Exists(parent)) return null;
        return Directory.GetDirectories(parent)
            .Select(dir => (dir, version: double.TryParse(Path.GetFileName(dir), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : -1))
            .Where(x => x.version >= 0)
            .OrderByDescending(x => x.version)
            .Select(x => Path.Combine(x.dir, "bin"))
            .FirstOrDefault(bin => new[] { "initdb", "pg_ctl", "postgres" }.All(exe => File.Exists(Path.Combine(bin, exe))));
    }

    /// <summary>
    /// The system temp folder, unless the server user cannot reach it: as root the server runs as <c>postgres</c>,
    /// which cannot enter e.g. a TMPDIR under /root, so it falls back to /tmp.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static string TempBase()
    {
        var temp = Path.GetTempPath();
        if (!Environment.IsPrivilegedProcess) return temp;
        for (var dir = new DirectoryInfo(temp); dir is not null; dir = dir.Parent)
        {
            if ((dir.UnixFileMode & UnixFileMode.OtherExecute) == 0) return "/tmp";
        }
        return temp;
    }

    /// <summary>
    /// A test process that dies (killed, crashed, a hang timeout) never runs <see cref="DisposeAsync"/>: its server keeps
    /// listening and its folder stays. Each new fixture stops and deletes the clusters whose owning process is gone
    /// (owner.pid names a process absent from /proc); clusters of live test processes are left alone.
    /// </summary>
    private async Task ReapAbandonedAsync(string tempBase)
    {
        foreach (var dir in Directory.EnumerateDirectories(tempBase, DirPrefix + "*"))
        {
            int owner;
            try
            {
                var ownerFile = Path.Combine(dir, OwnerFile);
                if (!File.Exists(ownerFile) || !int.TryParse(await File.ReadAllTextAsync(ownerFile), out owner)) continue;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // another user's cluster, or one being created
            }
            if (Directory.Exists($"/proc/{owner}")) continue;

            var data = Path.Combine(dir, "data");
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                try
                {
                    await RunAsync(Path.Combine(BinDir!, "pg_ctl"), ["stop", "-D", data, "-m", "immediate", "-w", "-t", "30"], asServerUser: true);
                }
                catch (InvalidOperationException)
                {
                    // already stopped (a stale pid file): the folder still goes
                }
            }
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Test-server settings appended to postgresql.conf: loopback only, socket in the temp dir, no durability.</summary>
    private string ServerSettings() => $"""

        # VptSp test server (VptSp.Tests/Support/PostgresServer.cs)
        listen_addresses = '{Host}'
        unix_socket_directories = '{SocketDir}'
        max_connections = 200
        fsync = off
        synchronous_commit = off
        full_page_writes = off
        {_extraSettings}
        """;

    private async Task StartServerAsync()
    {
        try
        {
            await RunAsync(Path.Combine(BinDir!, "pg_ctl"),
                ["start", "-D", DataDir, "-l", LogFile, "-w", "-t", ((int)StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                 "-o", $"-p {Port}"],
                asServerUser: true);
            await WaitUntilAcceptingAsync();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"the PostgreSQL test server did not start on {Host}:{Port}: {e.Message}\n--- last lines of {LogFile} ---\n{ReadLogTail()}", e);
        }
    }

    private async Task WaitUntilAcceptingAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString);
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (NpgsqlException e)
            {
                throw new InvalidOperationException($"no connection within {StartTimeout.TotalSeconds:0} s: {e.Message}", e);
            }
        }
    }

    private async Task StopServerAsync()
    {
        if (BinDir is null || _root is null || !File.Exists(Path.Combine(DataDir, "postmaster.pid"))) return;
        var pgCtl = Path.Combine(BinDir, "pg_ctl");
        try
        {
            await RunAsync(pgCtl, ["stop", "-D", DataDir, "-m", "fast", "-w", "-t", "30"], asServerUser: true);
        }
        catch (InvalidOperationException)
        {
            await RunAsync(pgCtl, ["stop", "-D", DataDir, "-m", "immediate", "-w", "-t", "30"], asServerUser: true);
        }
    }

    /// <summary>Runs a command to completion (as the server user when this process is root); a non-zero exit throws with its output.</summary>
    private async Task RunAsync(string exe, IReadOnlyList<string> args, bool asServerUser)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // the server user may not be able to enter the caller's working directory (e.g. under /root)
            WorkingDirectory = _root ?? "/",
        };
        if (asServerUser && Environment.IsPrivilegedProcess)
        {
            info.FileName = "runuser";
            foreach (var a in new[] { "-u", RunAsUser, "--", exe }) info.ArgumentList.Add(a);
        }
        else
        {
            info.FileName = exe;
        }
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["LC_ALL"] = "C";

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {exe}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout + TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(exe)} {string.Join(' ', args)} did not finish in time");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(exe)} {string.Join(' ', args)} exited with {process.ExitCode}: {(await stderr).Trim()} {(await stdout).Trim()}".Trim());
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}

/// <summary>Tests that need a real PostgreSQL server share one per test run: <c>[Collection("postgres")]</c>.</summary>
[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>;
