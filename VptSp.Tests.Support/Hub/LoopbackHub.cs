using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace VptSp.Tests.Support.Hub;

/// <summary>A request either server of <see cref="LoopbackHub"/> answered.</summary>
public sealed record HubRequest(string Server, string Method, string Path, string? Range, string? Authorization);

/// <summary>
/// Two real HTTP servers on loopback ports that answer as the Hugging Face Hub does for <c>resolve/REVISION/FILE</c>:
/// the Hub answers an LFS file with a 302 to the file host plus <c>X-Repo-Commit</c>, <c>X-Linked-Etag</c> (quoted sha256)
/// and <c>X-Linked-Size</c>, a small file with 200 and its <c>ETag</c>; the file host serves bodies with <c>Range</c>.
/// Gated repos answer 401 without the token, unknown ones 404; a body can be cut short or get a wrong byte, once each.
/// </summary>
public sealed class LoopbackHub : IDisposable
{
    public const string Commit = "1f0e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c";
    private readonly TcpListener _hub = new(IPAddress.Loopback, 0);
    private readonly TcpListener _files = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<string, byte[]> _content = new();   // "repo/file" → bytes
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new();     // sha256 → bytes
    private readonly CancellationTokenSource _stop = new();

    public LoopbackHub()
    {
        _hub.Start();
        _files.Start();
        _ = Serve(_hub, "hub");
        _ = Serve(_files, "files");
    }

    public string Endpoint => $"http://127.0.0.1:{((IPEndPoint)_hub.LocalEndpoint).Port}";
    public ConcurrentQueue<HubRequest> Requests { get; } = new();
    public HashSet<string> Gated { get; } = [];
    public string Token { get; set; } = "hf_test_token";
    /// <summary>Bodies (by sha256) to cut at half their length, once each.</summary>
    public ConcurrentDictionary<string, int> CutShort { get; } = new();
    /// <summary>Bodies (by sha256) to send with one byte flipped, this many times.</summary>
    public ConcurrentDictionary<string, int> Corrupt { get; } = new();
    /// <summary>A pause between 4 KiB chunks of a body (so concurrent downloads overlap).</summary>
    public TimeSpan ChunkDelay { get; set; }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Serves <paramref name="bytes"/> as <paramref name="file"/> of <paramref name="repo"/>; returns its sha256.</summary>
    public string Add(string repo, string file, byte[] bytes)
    {
        _content[repo + "/" + file] = bytes;
        var sha = Sha256(bytes);
        _blobs[sha] = bytes;
        return sha;
    }

    public int Count(string server, string method, string pathSuffix) =>
        Requests.Count(r => r.Server == server && r.Method == method && r.Path.EndsWith(pathSuffix, StringComparison.Ordinal));

    private async Task Serve(TcpListener listener, string server)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try { await Answer(client.GetStream(), server); }
                    catch (IOException) { }     // the client went away
                    catch (SocketException) { }
                }
            });
        }
    }

    private async Task Answer(NetworkStream stream, string server)
    {
        var head = await ReadHead(stream);
        if (head is null) return;
        var lines = head.Split("\r\n");
        var parts = lines[0].Split(' ');
        var headers = lines.Skip(1).Where(l => l.Contains(':'))
            .ToDictionary(l => l[..l.IndexOf(':')].Trim(), l => l[(l.IndexOf(':') + 1)..].Trim(), StringComparer.OrdinalIgnoreCase);
        var (method, path) = (parts[0], Uri.UnescapeDataString(parts[1]));
        Requests.Enqueue(new HubRequest(server, method, path, headers.GetValueOrDefault("Range"), headers.GetValueOrDefault("Authorization")));
        if (server == "files") await Blob(stream, method, path, headers);
        else await Resolve(stream, method, path, headers);
    }

    // /{owner}/{name}/resolve/{revision}/{file}
    private async Task Resolve(NetworkStream stream, string method, string path, Dictionary<string, string> headers)
    {
        var at = path.IndexOf("/resolve/", StringComparison.Ordinal);
        if (at < 0) { await Send(stream, 404, [], []); return; }
        var repo = path[1..at];
        var rest = path[(at + "/resolve/".Length)..];
        var file = rest[(rest.IndexOf('/') + 1)..];
        if (Gated.Contains(repo) && headers.GetValueOrDefault("Authorization") != "Bearer " + Token)
        {
            await Send(stream, 401, [("X-Error-Code", "GatedRepo")], []);
            return;
        }
        if (!_content.TryGetValue(repo + "/" + file, out var bytes))
        {
            await Send(stream, 404, [("X-Error-Code", _content.Keys.Any(k => k.StartsWith(repo + "/", StringComparison.Ordinal)) ? "EntryNotFound" : "RepoNotFound")], []);
            return;
        }
        var sha = Sha256(bytes);
        if (file.EndsWith(".json", StringComparison.Ordinal))
        {
            // a small (non-LFS) file: answered by the Hub itself with its git blob id as the ETag
            var gitId = Sha256(bytes)[..40]; // stands for the git blob id (an opaque 40-hex etag)
            await Send(stream, 200, [("X-Repo-Commit", Commit), ("ETag", $"\"{gitId}\"")], method == "HEAD" ? null : bytes, bytes.Length);
            return;
        }
        var files = $"http://127.0.0.1:{((IPEndPoint)_files.LocalEndpoint).Port}/blobs/{sha}";
        await Send(stream, 302, [("Location", files), ("X-Repo-Commit", Commit), ("X-Linked-Etag", $"\"{sha}\""),
            ("X-Linked-Size", bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("ETag", $"\"{sha}\"")], []);
    }

    private async Task Blob(NetworkStream stream, string method, string path, Dictionary<string, string> headers)
    {
        var sha = path.Split('/').Last();
        if (!_blobs.TryGetValue(sha, out var bytes)) { await Send(stream, 404, [], []); return; }
        var start = 0;
        if (headers.GetValueOrDefault("Range") is { } range && range.StartsWith("bytes=", StringComparison.Ordinal))
            start = int.Parse(range["bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
        var body = bytes[start..];
        if (Corrupt.TryGetValue(sha, out var bad) && bad > 0)
        {
            Corrupt[sha] = bad - 1;
            body = (byte[])body.Clone();
            body[body.Length / 2] ^= 0xFF;
        }
        var cut = CutShort.TryGetValue(sha, out var n) && n > 0;
        if (cut) CutShort[sha] = n - 1;
        List<(string, string)> extra = start > 0 ? [("Content-Range", $"bytes {start}-{bytes.Length - 1}/{bytes.Length}")] : [];
        await Send(stream, start > 0 ? 206 : 200, extra, method == "HEAD" ? null : body, body.Length, cut ? body.Length / 2 : body.Length);
    }

    private async Task Send(NetworkStream stream, int status, List<(string Name, string Value)> headers, byte[]? body,
        long? length = null, int? sendOnly = null)
    {
        var sb = new StringBuilder($"HTTP/1.1 {status} {Reason(status)}\r\n");
        foreach (var (name, value) in headers) sb.Append(name).Append(": ").Append(value).Append("\r\n");
        sb.Append("Content-Length: ").Append(length ?? body?.Length ?? 0).Append("\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(sb.ToString()));
        if (body is not null)
        {
            var total = sendOnly ?? body.Length;
            for (var off = 0; off < total; off += 4096)
            {
                await stream.WriteAsync(body.AsMemory(off, Math.Min(4096, total - off)));
                if (ChunkDelay > TimeSpan.Zero) await Task.Delay(ChunkDelay);
            }
        }
        await stream.FlushAsync();
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK", 206 => "Partial Content", 302 => "Found", 401 => "Unauthorized", 404 => "Not Found", _ => "Status",
    };

    private static async Task<string?> ReadHead(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            buffer.Add(one[0]);
            var c = buffer.Count;
            if (c >= 4 && buffer[c - 4] == '\r' && buffer[c - 3] == '\n' && buffer[c - 2] == '\r' && buffer[c - 1] == '\n')
                return Encoding.ASCII.GetString(buffer.ToArray(), 0, c - 4);
        }
        return null;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _hub.Stop();
        _files.Stop();
        _stop.Dispose();
    }
}
