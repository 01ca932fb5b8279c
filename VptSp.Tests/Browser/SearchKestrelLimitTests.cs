using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Browser;

/// <summary>The upload limit on a real Kestrel socket, where a body without Content-Length is cut off while it streams.</summary>
public sealed class SearchKestrelLimitTests : IAsyncLifetime
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private VptSpWebFactory _factory = null!;
    private HttpClient _http = null!;
    private int _port;

    public Task InitializeAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _factory = new VptSpWebFactory(_dataDir, new ScriptedTrainingEngine());
        _factory.UseKestrel(_port);
        _factory.StartServer();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
    }

    /// <summary>
    /// A chunked multipart upload (no Content-Length) of 40 MB over a raw socket. Kestrel stops reading the body at the
    /// limit, the endpoint answers 413, and Kestrel then closes the connection without draining the rest of the body (a
    /// body that broke <c>MaxRequestBodySize</c> is never drained), so the client's remaining writes may meet a reset.
    /// The test reads the response while it writes: the 413 ProblemDetails must arrive in full, and a failed write
    /// counts only after that response was read — a reset before any response fails the test.
    /// </summary>
    [Fact]
    public async Task AChunkedUploadOverTheLimitGets413AndTheServerKeepsServing()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _port);
        var stream = client.GetStream();
        const string boundary = "vptsp-limit-test";
        var head = "POST /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                   + $"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var preamble = $"--{boundary}\r\nContent-Disposition: form-data; name=\"runId\"\r\n\r\n1\r\n"
                           + $"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"huge.png\"\r\n"
                           + "Content-Type: image/png\r\n\r\n";
            await WriteChunkAsync(stream, Encoding.ASCII.GetBytes(preamble), stop.Token);
            var zeros = new byte[64 * 1024];
            for (var sent = 0L; sent < 40L * 1024 * 1024 && !stop.IsCancellationRequested; sent += zeros.Length)
                await WriteChunkAsync(stream, zeros, stop.Token);
        });

        var (status, headers, body) = await ReadResponseAsync(stream);
        await stop.CancelAsync();
        var writeError = await Record.ExceptionAsync(() => writer);

        Assert.True(413 == status, $"{status}: {body}");
        // Kestrel announces that it will not read the rest of the request on this connection
        Assert.Equal("close", headers["connection"]);
        Assert.Contains("application/problem+json", headers["content-type"]);
        using (var problem = JsonDocument.Parse(body))
            Assert.Equal("TooLarge", problem.RootElement.GetProperty("reason").GetString());
        // after the response, a write may only have failed because the server closed the connection (or we stopped)
        Assert.True(writeError is null or OperationCanceledException or IOException or SocketException,
            $"unexpected writer failure: {writeError}");
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/api/runs")).StatusCode);
    }

    private static async Task WriteChunkAsync(NetworkStream stream, byte[] data, CancellationToken ct)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{data.Length:X}\r\n"), ct);
        await stream.WriteAsync(data, ct);
        await stream.WriteAsync("\r\n"u8.ToArray(), ct);
    }

    /// <summary>Reads one HTTP/1.1 response with a Content-Length body; fails if the connection ends before it is complete.</summary>
    private static async Task<(int Status, Dictionary<string, string> Headers, string Body)> ReadResponseAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        int headerEnd;
        while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8.ToArray())) < 0)
        {
            var n = await stream.ReadAsync(chunk, timeout.Token);
            Assert.True(n > 0, $"the connection ended before a response arrived ({buffer.Count} bytes)");
            buffer.AddRange(chunk.AsSpan(0, n).ToArray());
        }
        var lines = Encoding.ASCII.GetString(buffer.GetRange(0, headerEnd).ToArray()).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var body = buffer.Skip(headerEnd + 4).ToList();
        var chunked = headers.TryGetValue("transfer-encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        var length = chunked ? -1 : int.Parse(headers["content-length"], System.Globalization.CultureInfo.InvariantCulture);
        while (chunked ? IndexOf(body, "0\r\n\r\n"u8.ToArray()) < 0 : body.Count < length)
        {
            var n = await stream.ReadAsync(chunk, timeout.Token);
            Assert.True(n > 0, "the connection ended inside the response body");
            body.AddRange(chunk.AsSpan(0, n).ToArray());
        }
        return (status, headers, chunked ? Dechunk(body) : Encoding.UTF8.GetString(body.GetRange(0, length).ToArray()));
    }

    private static string Dechunk(List<byte> body)
    {
        var text = new StringBuilder();
        for (var at = 0; ;)
        {
            var lineEnd = IndexOf(body.Skip(at).ToList(), "\r\n"u8.ToArray()) + at;
            var size = Convert.ToInt32(Encoding.ASCII.GetString(body.GetRange(at, lineEnd - at).ToArray()).Split(';')[0], 16);
            if (size == 0) return text.ToString();
            text.Append(Encoding.UTF8.GetString(body.GetRange(lineEnd + 2, size).ToArray()));
            at = lineEnd + 2 + size + 2;
        }
    }

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
            if (!needle.Where((b, j) => haystack[i + j] != b).Any()) return i;
        return -1;
    }
}
