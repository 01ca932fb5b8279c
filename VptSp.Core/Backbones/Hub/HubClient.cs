using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace VptSp.Core.Backbones.Hub;

/// <summary>A file of a repo in the hub cache: its snapshot path, the commit it belongs to and its blob's name (sha256 for LFS files).</summary>
public sealed record HubFile(string Path, string Commit, string Etag);

/// <summary>
/// Downloads repo files into the hub cache as huggingface_hub does: <c>HEAD {endpoint}/{repo}/resolve/{revision}/{file}</c>
/// (the redirect's <c>X-Repo-Commit</c>, <c>X-Linked-Etag</c>, <c>X-Linked-Size</c>), then <c>GET</c> from the file host into
/// <c>blobs/ETAG.incomplete</c> under the blob's lock, resuming with <c>Range</c>, sha256 checked before the move into <c>blobs/</c>.
/// A cached file is used without asking the network.
/// </summary>
public sealed class HubClient(HubSettings settings) : IDisposable
{
    private const int MaxResumes = 2;
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };

    public HubSettings Settings { get; } = settings;

    public HubCache Cache(string repo) => new(Settings.CacheDir, repo);

    /// <summary><paramref name="file"/> of <paramref name="repo"/> from the cache, downloading it first when it is not there.</summary>
    public async Task<HubFile> FetchAsync(string repo, string file, IProgress<DownloadProgress>? progress = null,
        string revision = "main", CancellationToken ct = default)
    {
        var cache = Cache(repo);
        if (cache.TryFind(file, revision) is { } hit) return new HubFile(hit, cache.CommitOf(revision)!, BlobName(hit));
        if (Settings.Offline) throw HubErrors.Offline(cache, file);
        var meta = await HeadAsync(cache, file, revision, ct);
        if (!File.Exists(cache.Blob(meta.Etag))) await DownloadLockedAsync(cache, file, meta, progress, ct);
        return new HubFile(cache.Publish(revision, meta.Commit, file, meta.Etag), meta.Commit, meta.Etag);
    }

    private sealed record Meta(string Commit, string Etag, long Size, Uri Location);

    private async Task<Meta> HeadAsync(HubCache cache, string file, string revision, CancellationToken ct)
    {
        var url = new Uri($"{Settings.Endpoint}/{cache.Repo}/resolve/{Uri.EscapeDataString(revision)}/{file}");
        using var request = Request(HttpMethod.Head, url);
        using var response = await SendAsync(cache, request, ct);
        Check(cache, file, url, response);
        var commit = Header(response, "X-Repo-Commit") ?? throw HubErrors.NotHub(cache, url.ToString(), "X-Repo-Commit");
        var etag = Normalize(Header(response, "X-Linked-Etag") ?? response.Headers.ETag?.Tag ?? Header(response, "ETag"))
            ?? throw HubErrors.NotHub(cache, url.ToString(), "X-Linked-Etag or ETag");
        var size = long.TryParse(Header(response, "X-Linked-Size"), out var linked) ? linked : response.Content.Headers.ContentLength ?? -1;
        var location = (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } to
            ? (to.IsAbsoluteUri ? to : new Uri(url, to))
            : url;
        return new Meta(commit, etag, size, location);
    }

    private async Task DownloadLockedAsync(HubCache cache, string file, Meta meta, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        Directory.CreateDirectory(cache.BlobsDir);
        Directory.CreateDirectory(cache.LocksDir);
        using var held = await BlobLock.AcquireAsync(cache.Lock(meta.Etag), ct);
        var blob = cache.Blob(meta.Etag);
        if (File.Exists(blob)) return; // another process finished it while this one waited
        var part = cache.Incomplete(meta.Etag);
        var resumes = 0;
        var restarted = false;
        while (true)
        {
            var have = File.Exists(part) ? new FileInfo(part).Length : 0;
            if (meta.Size >= 0 && have > meta.Size) { File.Delete(part); have = 0; }
            if (meta.Size < 0 || have < meta.Size)
            {
                try
                {
                    await GetAsync(cache, file, meta, part, have, progress, ct);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException && !ct.IsCancellationRequested)
                {
                    // an interrupted body: the bytes so far stay in .incomplete and the next request asks for the rest
                }
                have = File.Exists(part) ? new FileInfo(part).Length : 0;
                if (meta.Size >= 0 && have < meta.Size)
                {
                    if (++resumes > MaxResumes) { File.Delete(part); throw HubErrors.CutShort(cache, file, have, meta.Size); }
                    continue;
                }
            }
            if (IsSha256(meta.Etag))
            {
                var actual = await Sha256Async(part, ct);
                if (actual != meta.Etag)
                {
                    File.Delete(part);
                    if (restarted) throw HubErrors.Corrupt(cache, file, meta.Etag, actual);
                    restarted = true;
                    resumes = 0;
                    continue;
                }
            }
            File.Move(part, blob);
            return;
        }
    }

    private async Task GetAsync(HubCache cache, string file, Meta meta, string part, long have, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, meta.Location);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        Check(cache, file, meta.Location, response);
        var append = have > 0 && response.StatusCode == HttpStatusCode.PartialContent;
        if (!append) have = 0;
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await using var output = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var buffer = new byte[1 << 20];
        var clock = Stopwatch.StartNew();
        long session = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), ct);
            session += read;
            progress?.Report(new DownloadProgress(cache.Repo, file, have + session, meta.Size, session / Math.Max(clock.Elapsed.TotalSeconds, 1e-3)));
        }
    }

    private HttpRequestMessage Request(HttpMethod method, Uri url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("vptsp", "1"));
        // the token goes to the Hub only, never to the host a redirect points at
        if (Settings.Token is not null && SameHost(url, new Uri(Settings.Endpoint)))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Settings.Token);
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HubCache cache, HttpRequestMessage request, CancellationToken ct)
    {
        try { return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct); }
        catch (HttpRequestException ex) { throw HubErrors.Unreachable(cache, Settings.Endpoint, ex); }
    }

    private void Check(HubCache cache, string file, Uri url, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status < 400) return;
        var code = Header(response, "X-Error-Code");
        if (status == 404 || code is "RepoNotFound" or "RepositoryNotFound" or "EntryNotFound" or "RevisionNotFound")
            throw HubErrors.NotFound(cache, file, Settings.Endpoint);
        if (status is 401 or 403) throw HubErrors.Gated(cache, Settings.Endpoint, Settings.Token is not null, status);
        throw HubErrors.Status(cache, url.ToString(), status);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()
        : response.Content.Headers.TryGetValues(name, out var content) ? content.FirstOrDefault() : null;

    /// <summary>An etag as huggingface_hub stores it: no weak prefix, no quotes.</summary>
    internal static string? Normalize(string? etag)
    {
        if (string.IsNullOrWhiteSpace(etag)) return null;
        var e = etag.Trim();
        if (e.StartsWith("W/", StringComparison.Ordinal)) e = e[2..];
        return e.Trim('"');
    }

    private static bool SameHost(Uri a, Uri b) =>
        string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static bool IsSha256(string etag) => etag.Length == 64 && etag.All(char.IsAsciiHexDigitLower);

    private static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }

    /// <summary>The blob a snapshot links to (the etag), or the file's sha256 when it is a copy.</summary>
    private static string BlobName(string snapshot)
    {
        var target = new FileInfo(snapshot).LinkTarget;
        if (target is not null) return Path.GetFileName(target);
        using var stream = File.OpenRead(snapshot);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public void Dispose() => _http.Dispose();
}
