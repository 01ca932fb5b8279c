using VptSp.Core.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VptSp.Web.Options;
using VptSp.Web.Services.Runs;

namespace VptSp.Web.Data;

/// <summary>
/// Start-up step (runs before the worker): creates the data folders, applies migrations, switches SQLite to WAL
/// and marks runs left <c>running</c> by a crash or kill as <c>interrupted</c>.
/// </summary>
internal sealed class DatabaseInitializer(
    IDbContextFactory<ExperimentDbContext> dbFactory,
    IOptions<StorageOptions> storage,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = storage.Value;
        Directory.CreateDirectory(options.DataDirectory);
        Directory.CreateDirectory(options.RunsDirectory);
        Directory.CreateDirectory(options.DemoRoot);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        var interrupted = await db.Runs.Where(r => r.Status == RunState.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunState.Interrupted)
                .SetProperty(r => r.Error, "the server stopped during the run")
                .SetProperty(r => r.FinishedAt, DateTimeOffset.UtcNow), cancellationToken);
        if (interrupted > 0)
            logger.LogWarning("{Count} run(s) left running by an earlier server were marked interrupted", interrupted);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
