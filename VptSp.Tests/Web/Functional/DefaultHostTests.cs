using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using VptSp.Tests.Web.Support;
using VptSp.Web.Security;

namespace VptSp.Tests.Web.Functional;

/// <summary>The host as shipped: default storage layout, options checked on start.</summary>
public sealed class DefaultHostTests : IDisposable
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();

    public void Dispose() => VptSpWebFactory.DeleteDataDirectory(_dataDir);

    [Fact]
    public async Task TheDatabaseIsMigratedInWalModeUnderTheDataDirectoryWithTheDemoRoot()
    {
        await using var factory = new VptSpWebFactory(_dataDir, new ScriptedTrainingEngine());
        _ = factory.CreateClient();
        Assert.True(Directory.Exists(Path.Combine(_dataDir, "demo")));
        Assert.True(Directory.Exists(Path.Combine(_dataDir, "runs")));
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_dataDir, "vptsp.db")}");
        await connection.OpenAsync();
        await using var mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await mode.ExecuteScalarAsync());
        await using var migrations = connection.CreateCommand();
        migrations.CommandText = "SELECT group_concat(MigrationId, ',') FROM (SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId);";
        var applied = ((string)(await migrations.ExecuteScalarAsync())!).Split(',');
        Assert.Equal(["Initial", "AddSweepsAndRunGroups", "AddWorkerLeases", "AddSystemSamples", "AddRunSummary", "AddRunListIndexes"], applied.Select(m => m[(m.IndexOf('_') + 1)..]));
    }

    [Fact]
    public void AnInvalidDataRootNameStopsTheHostAtStartUp()
    {
        using var factory = new VptSpWebFactory(_dataDir, new ScriptedTrainingEngine(), new Dictionary<string, string?>
        {
            ["Storage:DataRoots:bad name!"] = "/tmp",
        });
        var ex = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains("bad name!", ex.Message);
    }

    [Fact]
    public void OnLoopbackNoTokenIsRequiredAndBeyondItOneIsGenerated()
    {
        var loopback = new AccessPolicy(Microsoft.Extensions.Options.Options.Create(new VptSp.Web.Options.SecurityOptions()),
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:5080" }).Build());
        Assert.False(loopback.Required);
        loopback.ObserveListeningAddresses(["http://[::]:5080"]);
        Assert.True(loopback.Required);
        Assert.True(loopback.TokenWasGenerated);
        Assert.True(loopback.Token.Length >= 32);
        Assert.True(loopback.Matches(loopback.Token));
        Assert.False(loopback.Matches(loopback.Token + "x"));
    }
}
