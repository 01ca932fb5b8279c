using Npgsql;

namespace VptSp.Tests.Support;

/// <summary>The test PostgreSQL server itself: it runs, isolates databases, and carries LISTEN/NOTIFY (the queue relies on it).</summary>
[Collection("postgres")]
public sealed class PostgresServerTests(PostgresServer server)
{
    [SkippableFact]
    public async Task TheServerAnswersVersionQueriesAsPostgreSql()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        await using var query = new NpgsqlCommand("SELECT version()", connection);
        var version = (string?)await query.ExecuteScalarAsync();

        Assert.StartsWith("PostgreSQL ", version);
    }

    [SkippableFact]
    public async Task TheServerListensOnlyOnTheLoopbackAddress()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        await using var query = new NpgsqlCommand("SELECT current_setting('listen_addresses'), current_setting('port')", connection);
        await using var reader = await query.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("127.0.0.1", reader.GetString(0));
        Assert.Equal(server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), reader.GetString(1));
    }

    [SkippableFact]
    public async Task ATableCreatedInOneDatabaseIsAbsentFromAnother()
    {
        var first = await server.CreateDatabaseAsync();
        var second = await server.CreateDatabaseAsync();
        Assert.NotEqual(first, second);

        await using (var a = new NpgsqlConnection(first))
        {
            await a.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE runs (id integer PRIMARY KEY); INSERT INTO runs VALUES (1)", a);
            await create.ExecuteNonQueryAsync();
            Assert.Equal(1L, await CountRunsTablesAsync(a));
        }

        await using var b = new NpgsqlConnection(second);
        await b.OpenAsync();
        Assert.Equal(0L, await CountRunsTablesAsync(b));
    }

    [SkippableFact]
    public async Task ANamedDatabaseIsCreatedUnderThatName()
    {
        var name = "named_" + Guid.NewGuid().ToString("N")[..8];
        var connectionString = await server.CreateDatabaseAsync(name);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        await using var query = new NpgsqlCommand("SELECT current_database()", connection);
        Assert.Equal(name, (string?)await query.ExecuteScalarAsync());
    }

    [SkippableFact]
    public async Task ADatabaseNameThatIsNotAPlainIdentifierIsRefusedByName()
    {
        server.SkipIfUnavailable();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => server.CreateDatabaseAsync("bad\"; DROP DATABASE postgres; --"));

        Assert.Contains("bad\"; DROP", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ANotificationSentOnOneConnectionReachesAListenerOnAnotherWithinFiveSeconds()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using var listener = new NpgsqlConnection(connectionString);
        await listener.OpenAsync();
        string? received = null;
        string? channel = null;
        listener.Notification += (_, e) => (channel, received) = (e.Channel, e.Payload);
        await using (var listen = new NpgsqlCommand("LISTEN run_progress", listener))
            await listen.ExecuteNonQueryAsync();

        await using (var sender = new NpgsqlConnection(connectionString))
        {
            await sender.OpenAsync();
            await using var notify = new NpgsqlCommand("SELECT pg_notify('run_progress', '{\"run\":7,\"epoch\":3}')", sender);
            await notify.ExecuteNonQueryAsync();
        }

        using var within = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var arrived = await listener.WaitAsync(within.Token).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);

        Assert.True(arrived, "no notification arrived within 5 s");
        Assert.Equal("run_progress", channel);
        Assert.Equal("{\"run\":7,\"epoch\":3}", received);
    }

    private static async Task<long> CountRunsTablesAsync(NpgsqlConnection connection)
    {
        await using var query = new NpgsqlCommand(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'runs'", connection);
        return (long)(await query.ExecuteScalarAsync())!;
    }
}

/// <summary>The fixture's behaviour when the server is missing or will not start (servers of their own, not the shared one).</summary>
public sealed class PostgresServerAbsentOrBrokenTests
{
    [Fact]
    public async Task WithoutServerBinariesATestAskingForADatabaseIsSkippedWithTheSetupCommand()
    {
        var server = new PostgresServer("/nonexistent/postgresql", ci: null, extraSettings: "");
        await server.InitializeAsync();

        var skip = await Assert.ThrowsAsync<SkipException>(() => server.CreateDatabaseAsync());

        Assert.Contains("scripts/setup.sh --with-postgres", skip.Message, StringComparison.Ordinal);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task WithoutServerBinariesUnderCiTheFixtureFailsLoudly()
    {
        var server = new PostgresServer("/nonexistent/postgresql", ci: "true", extraSettings: "");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(server.InitializeAsync);

        Assert.StartsWith("PostgreSQL is not installed; scripts/setup.sh --with-postgres", error.Message, StringComparison.Ordinal);
        await server.DisposeAsync();
    }

    [SkippableFact]
    public async Task AServerThatFailsToStartReportsTheLastLinesOfItsLog()
    {
        var server = new PostgresServer("/usr/lib/postgresql", ci: null, extraSettings: "shared_buffers = 'lots'");
        try
        {
            var error = await Record.ExceptionAsync(server.InitializeAsync);
            server.SkipIfUnavailable();

            var failed = Assert.IsType<InvalidOperationException>(error);
            Assert.Contains("did not start", failed.Message, StringComparison.Ordinal);
            Assert.Contains("shared_buffers", failed.Message, StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}

/// <summary>Clean-up after a test process that died without disposing its server.</summary>
public sealed class PostgresServerReaperTests
{
    [SkippableFact]
    public async Task AClusterLeftByADeadTestProcessIsStoppedAndDeletedByTheNextFixture()
    {
        var abandoned = new PostgresServer();
        var next = new PostgresServer();
        try
        {
            await abandoned.InitializeAsync();
            abandoned.SkipIfUnavailable();
            var root = Path.GetDirectoryName(abandoned.DataDir)!;
            var postmaster = int.Parse(File.ReadLines(Path.Combine(abandoned.DataDir, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
            await File.WriteAllTextAsync(Path.Combine(root, "owner.pid"), DeadProcessId().ToString(System.Globalization.CultureInfo.InvariantCulture));

            await next.InitializeAsync();

            Assert.False(Directory.Exists(root), $"{root} was not deleted");
            Assert.True(await GoneWithinAsync(postmaster, TimeSpan.FromSeconds(10)), $"postmaster {postmaster} still runs");
        }
        finally
        {
            await next.DisposeAsync();
            await abandoned.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task AClusterOfALiveTestProcessIsLeftAlone()
    {
        var other = new PostgresServer();
        var next = new PostgresServer();
        try
        {
            await other.InitializeAsync();
            other.SkipIfUnavailable();

            await next.InitializeAsync();

            await using var connection = new NpgsqlConnection(await other.CreateDatabaseAsync());
            await connection.OpenAsync();
            Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        }
        finally
        {
            await next.DisposeAsync();
            await other.DisposeAsync();
        }
    }

    /// <summary>The id of a process that has exited (and been reaped): no /proc entry.</summary>
    private static int DeadProcessId()
    {
        using var process = System.Diagnostics.Process.Start("true");
        process.WaitForExit();
        return process.Id;
    }

    private static async Task<bool> GoneWithinAsync(int pid, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (Directory.Exists($"/proc/{pid}"))
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(100);
        }
        return true;
    }
}
