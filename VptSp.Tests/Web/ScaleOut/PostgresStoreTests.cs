using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VptSp.Tests.Support;
using VptSp.Runs.Data;
using VptSp.Runs.Options;

namespace VptSp.Tests.Web.ScaleOut;

/// <summary>The PostgreSQL store on a real server: its own migration set, applied safely by processes starting together.</summary>
[Collection("postgres")]
public sealed class PostgresStoreTests(PostgresServer postgres)
{
    [SkippableFact]
    public async Task ADashboardAndWorkersStartingTogetherOnAnEmptyDatabaseMigrateItOnce()
    {
        postgres.SkipIfUnavailable();
        var cs = await postgres.CreateDatabaseAsync();
        var factories = Enumerable.Range(0, 4).Select(_ => new ExperimentDatabase(
            Options.Create(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = cs }), NullLoggerFactory.Instance)).ToList();

        await Task.WhenAll(factories.Select(async f =>
        {
            await using var db = await f.CreateDbContextAsync();
            await db.ApplyMigrationsAsync();
        }));

        await using var check = await factories[0].CreateDbContextAsync();
        Assert.IsType<PostgresExperimentDbContext>(check);
        Assert.Equal(["Initial", "AddSystemSamples", "AddRunSummary", "AddRunListIndexes"], (await check.Database.GetAppliedMigrationsAsync()).Select(m => m[(m.IndexOf('_') + 1)..]));
        Assert.Empty(await check.Database.GetPendingMigrationsAsync());
        Assert.Equal(0, await check.Runs.CountAsync());
    }

    [Fact]
    public void TheSqliteAndPostgresMigrationSetsDescribeTheSameModel()
    {
        using var sqlite = new DesignTimeDbContextFactory().CreateDbContext([]);
        using var pg = new PostgresDesignTimeDbContextFactory().CreateDbContext([]);
        // No model change may be left without a migration in either set.
        Assert.False(sqlite.Database.HasPendingModelChanges(), "SQLite: run dotnet ef migrations add … --context ExperimentDbContext");
        Assert.False(pg.Database.HasPendingModelChanges(), "PostgreSQL: run dotnet ef migrations add … --context PostgresExperimentDbContext");
        static string[] Columns(DbContext db) => db.Model.GetEntityTypes().SelectMany(t => t.GetProperties().Select(p => $"{t.GetTableName()}.{p.GetColumnName()}")).Order().ToArray();
        Assert.Equal(Columns(sqlite), Columns(pg));
    }
}
