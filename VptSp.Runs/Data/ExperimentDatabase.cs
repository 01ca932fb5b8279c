using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VptSp.Runs.Options;

namespace VptSp.Runs.Data;

/// <summary>
/// The one <c>IDbContextFactory&lt;ExperimentDbContext&gt;</c>: SQLite (<see cref="ExperimentDbContext"/>) or PostgreSQL
/// (<see cref="PostgresExperimentDbContext"/>) as Storage:Provider says. The choice is made from the bound options at first
/// use, so configuration added by a test host or the command line is honoured.
/// </summary>
public sealed class ExperimentDatabase(IOptions<StorageOptions> storage, ILoggerFactory loggers) : IDbContextFactory<ExperimentDbContext>
{
    private readonly Lazy<Func<ExperimentDbContext>> _create = new(() => Build(storage.Value, loggers));

    public ExperimentDbContext CreateDbContext() => _create.Value();

    public Task<ExperimentDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(_create.Value());

    private static Func<ExperimentDbContext> Build(StorageOptions storage, ILoggerFactory loggers)
    {
        if (storage.IsPostgres)
        {
            var options = new DbContextOptionsBuilder<PostgresExperimentDbContext>()
                .UseNpgsql(storage.ConnectionString).UseLoggerFactory(loggers).Options;
            return () => new PostgresExperimentDbContext(options);
        }
        var sqlite = new DbContextOptionsBuilder<ExperimentDbContext>()
            .UseSqlite(storage.SqliteConnectionString).UseLoggerFactory(loggers).Options;
        return () => new ExperimentDbContext(sqlite);
    }
}

public static class ExperimentDatabaseExtensions
{
    /// <summary>True when the context talks to PostgreSQL.</summary>
    public static bool IsPostgres(this ExperimentDbContext db) => db is PostgresExperimentDbContext;

    /// <summary>Any 64-bit number that no other code of this database takes as a PostgreSQL advisory lock.</summary>
    private const long MigrationLock = 0x5670_5370_4D69_6772; // "VpSpMigr"

    /// <summary>
    /// Applies the store's pending migrations. On PostgreSQL, where dashboards and workers on several hosts start at once,
    /// one process at a time does so under a session advisory lock held across every migration (EF's own lock does not
    /// keep a second process from applying the next migration of the set between two of the first process's).
    /// </summary>
    public static async Task ApplyMigrationsAsync(this ExperimentDbContext db, CancellationToken ct = default)
    {
        if (!db.IsPostgres())
        {
            await db.Database.MigrateAsync(ct);
            return;
        }
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLock})", ct);
            try
            {
                await db.Database.MigrateAsync(ct);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
