using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using VptSp.Tests.Web.Support;
using VptSp.Web.Security;

namespace VptSp.Tests.Web.Functional;

/// <summary>Bound beyond loopback, every endpoint, the hub and the pages need the token.</summary>
public sealed class TokenAccessTests : IAsyncLifetime
{
    private const string Token = "s3cret-token-for-tests";
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private VptSpWebFactory _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new VptSpWebFactory(_dataDir, new ScriptedTrainingEngine(), new Dictionary<string, string?>
        {
            ["urls"] = "http://0.0.0.0:5080",
            ["Security:Token"] = Token,
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
    }

    [Theory]
    [InlineData("POST", "/api/runs")]
    [InlineData("GET", "/api/runs")]
    [InlineData("DELETE", "/api/runs/1")]
    [InlineData("POST", "/api/runs/1/cancel")]
    [InlineData("GET", "/")]
    [InlineData("POST", "/hubs/training/negotiate?negotiateVersion=1")]
    public async Task WithoutTheTokenEveryRequestGets401(string method, string path)
    {
        var http = _factory.CreateClient();
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = JsonContent.Create(new { config = "emoji_vptsp_g" });
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        (await response.ProblemAsync()).Dispose();

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).StatusCode);
    }

    [Fact]
    public async Task WithTheBearerTokenRunsAreAcceptedAndTheHubConnects()
    {
        var http = _factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var id = await http.SubmitDemoAsync(epochs: 1);
        Assert.Equal("completed", await http.WaitForStatusAsync(id, "completed", "failed"));

        await using var hub = await HubClient.ConnectAsync(_factory.Server, Token);
        await hub.SubscribeAsync(id);
    }

    [Fact]
    public async Task TheTokenInTheQuerySetsACookieThatAuthenticatesLaterRequests()
    {
        var http = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }); // handles cookies
        var first = await http.GetAsync($"/api/presets?token={Token}");
        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode); // to /api/presets, without the token
        Assert.Equal("/api/presets", first.Headers.Location!.OriginalString);
        Assert.Contains(first.Headers.GetValues("Set-Cookie"), c => c.StartsWith(TokenAuthenticationMiddleware.CookieName + "=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/runs")).StatusCode);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("https://192.168.1.5:443", false)]
    public void LoopbackAddressesAreRecognised(string url, bool loopback) =>
        Assert.Equal(loopback, AccessPolicy.IsLoopback(url));
}
