using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;

namespace VptSp.Tests.Web.Support;

/// <summary>A SignalR client of /hubs/training over WebSockets through the test server, recording what it receives.</summary>
public sealed class HubClient : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly TaskCompletionSource<string> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<(string Method, JsonElement Payload)> Received { get; } = new();

    private HubClient(HubConnection connection)
    {
        _connection = connection;
        foreach (var method in new[] { "StepProgress", "EpochCompleted", "RunStateChanged" })
        {
            var m = method;
            _connection.On<JsonElement>(m, payload =>
            {
                Received.Enqueue((m, payload));
                if (m == "RunStateChanged" && payload.GetProperty("status").GetString() is "completed" or "failed" or "cancelled" or "interrupted")
                    _finished.TrySetResult(payload.GetProperty("status").GetString()!);
            });
        }
    }

    /// <summary>The first final status (completed, failed, cancelled, interrupted) received.</summary>
    public Task<string> Finished => _finished.Task;

    public static async Task<HubClient> ConnectAsync(TestServer server, string? token = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "hubs/training"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.WebSocketFactory = async (context, ct) =>
                {
                    var ws = server.CreateWebSocketClient();
                    if (token is not null) ws.ConfigureRequest = r => r.Headers.Authorization = "Bearer " + token;
                    return await ws.ConnectAsync(context.Uri, ct);
                };
            })
            .Build();
        await connection.StartAsync();
        return new HubClient(connection);
    }

    /// <summary>A client of a real server process (<paramref name="baseUrl"/> such as http://127.0.0.1:PORT).</summary>
    public static async Task<HubClient> ConnectAsync(string baseUrl)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(new Uri(baseUrl), "hubs/training"), o => { o.Transports = HttpTransportType.WebSockets; o.SkipNegotiation = true; })
            .Build();
        await connection.StartAsync();
        return new HubClient(connection);
    }

    public Task SubscribeAsync(long runId) => _connection.InvokeAsync("Subscribe", runId);

    public Task UnsubscribeAsync(long runId) => _connection.InvokeAsync("Unsubscribe", runId);

    public List<JsonElement> Of(string method) => Received.Where(r => r.Method == method).Select(r => r.Payload).ToList();

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
