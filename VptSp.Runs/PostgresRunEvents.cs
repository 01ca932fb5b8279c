using Microsoft.Extensions.Options;
using Npgsql;
using VptSp.Runs.Options;

namespace VptSp.Runs;

/// <summary>
/// Live progress between VptSp processes sharing one PostgreSQL database. Every process sends the events of the runs it
/// executes (already throttled by <see cref="ProgressFeed"/>: a few per second per run) with <c>pg_notify</c>; a dashboard
/// also LISTENs and feeds other processes' events into its own <see cref="ProgressFeed"/>, from where SignalR and the pages
/// get them exactly as for a local run. Connections that drop are reopened; events sent meanwhile are missed (the stored
/// rows are not: pages reload them).
/// </summary>
internal sealed class PostgresRunEvents(
    ProgressFeed feed,
    RunPlatformRole role,
    IOptions<StorageOptions> storage,
    ILogger<PostgresRunEvents> logger) : BackgroundService
{
    /// <summary>This process's id in the payloads, so a dashboard does not hear its own events twice.</summary>
    private readonly string _origin = Guid.NewGuid().ToString("N");

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!storage.Value.IsPostgres) return Task.CompletedTask;
        var send = SendAsync(stoppingToken);
        var listen = role.IsDashboard ? ListenAsync(stoppingToken) : Task.CompletedTask;
        return Task.WhenAll(send, listen);
    }

    private async Task SendAsync(CancellationToken ct)
    {
        var pending = System.Threading.Channels.Channel.CreateUnbounded<RunEvent>(new() { SingleReader = true });
        using var subscription = feed.SubscribeLocal(e => pending.Writer.TryWrite(e));
        NpgsqlConnection? connection = null;
        try
        {
            await foreach (var e in pending.Reader.ReadAllAsync(ct))
            {
                try
                {
                    connection ??= await OpenAsync(ct);
                    await using var cmd = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
                    cmd.Parameters.AddWithValue("channel", RunEventWire.Channel);
                    cmd.Parameters.AddWithValue("payload", RunEventWire.Write(e, _origin));
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "sending a run event to other VptSp processes failed; reconnecting");
                    if (connection is not null) await connection.DisposeAsync();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await OpenAsync(ct);
                connection.Notification += (_, args) =>
                {
                    if (!RunEventWire.TryRead(args.Payload, out var e, out var origin))
                        logger.LogWarning("ignored a malformed run event on {Channel}", RunEventWire.Channel);
                    else if (origin != _origin)
                        feed.PublishRemote(e!);
                };
                await using (var cmd = new NpgsqlCommand($"LISTEN {RunEventWire.Channel}", connection))
                    await cmd.ExecuteNonQueryAsync(ct);
                logger.LogInformation("listening for other VptSp processes' run events");
                while (true) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "listening for run events failed; reconnecting in 2 s");
                await Task.Delay(TimeSpan.FromSeconds(2), ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(storage.Value.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }
}
