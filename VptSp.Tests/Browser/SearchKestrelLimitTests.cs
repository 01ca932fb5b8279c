using System.Net;
using System.Net.Sockets;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Browser;

/// <summary>The upload limit on a real Kestrel socket, where a body without Content-Length is cut off while it streams.</summary>
public sealed class SearchKestrelLimitTests : IAsyncLifetime
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private VptSpWebFactory _factory = null!;
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _factory = new VptSpWebFactory(_dataDir, new ScriptedTrainingEngine());
        _factory.UseKestrel(port);
        _factory.StartServer();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
    }

    /// <summary>A stream of zeros whose length the client does not announce (chunked transfer).</summary>
    private sealed class Zeros(long length) : Stream
    {
        private long _left = length;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, _left);
            Array.Clear(buffer, offset, n);
            _left -= n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task AChunkedUploadOverTheLimitGets413AndTheServerKeepsServing()
    {
        var form = new MultipartFormDataContent { { new StringContent("1"), "runId" } };
        form.Add(new StreamContent(new Zeros(40L * 1024 * 1024)), "image", "huge.png");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/search") { Content = form };
        request.Headers.TransferEncodingChunked = true;
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request);
        }
        catch (HttpRequestException)
        {
            // Kestrel may answer 413 and close the connection before the client finished sending: also a refusal
            Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/api/runs")).StatusCode);
            return;
        }
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        using var problem = await response.ProblemAsync();
        Assert.Equal("TooLarge", problem.RootElement.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/api/runs")).StatusCode);
    }
}
