using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using VptSp.Tests.Web.Support;
using VptSp.Web.Security;

namespace VptSp.Tests.Web.Functional;

/// <summary>Issue #22 as an attacker on loopback: security headers, hub origins, proxied requests, the token's redirect, length and rotation.</summary>
public sealed class WebSecurityTests : IAsyncLifetime
{
    private const string Token = "rotate-me-0123456789";
    private const string Evil = "http://evil.example";
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private VptSpWebFactory _open = null!;

    public Task InitializeAsync()
    {
        _open = new VptSpWebFactory(_dataDir, new ScriptedTrainingEngine());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _open.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
    }

    private VptSpWebFactory TokenFactory(string token) => new(_dataDir, new ScriptedTrainingEngine(), new Dictionary<string, string?>
    {
        ["urls"] = "http://0.0.0.0:5080",
        ["Security:Token"] = token,
    });

    [Fact]
    public async Task PagesCarryACspThatAllowsOnlyTheirOwnScriptsAndForbidFraming()
    {
        var response = await _open.CreateClient().GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        var scriptSrc = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
        Assert.DoesNotContain("unsafe-inline", scriptSrc);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));

        // The one inline script (Blazor's import map) carries this response's nonce.
        var html = await response.Content.ReadAsStringAsync();
        var nonce = Regex.Match(html, "<script type=\"importmap\" nonce=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains($"'nonce-{nonce}'", scriptSrc);
        var again = await _open.CreateClient().GetAsync("/");
        Assert.DoesNotContain($"'nonce-{nonce}'", string.Join(";", again.Headers.GetValues("Content-Security-Policy")));

        // API answers get the headers too.
        Assert.Equal("nosniff", Assert.Single((await _open.CreateClient().GetAsync("/api/runs")).Headers.GetValues("X-Content-Type-Options")));
    }

    [Theory]
    [InlineData("/hubs/training/negotiate?negotiateVersion=1")]
    [InlineData("/_blazor/negotiate?negotiateVersion=1")]
    public async Task HubsRefuseANegotiateFromAnotherOriginAndAcceptTheirOwn(string path)
    {
        var http = _open.CreateClient();
        var cross = new HttpRequestMessage(HttpMethod.Post, path);
        cross.Headers.Add("Origin", Evil);
        var refused = await http.SendAsync(cross);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using (var problem = await refused.ProblemAsync())
            Assert.Contains("cross-origin request from http://evil.example refused", problem.RootElement.GetProperty("detail").GetString());

        var own = new HttpRequestMessage(HttpMethod.Post, path);
        own.Headers.Add("Origin", "http://localhost");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(own)).StatusCode);
    }

    [Fact]
    public async Task AWebSocketHandshakeToTheHubFromAnotherOriginIsRefused()
    {
        // A WebSocket upgrade is a GET: the API's state-changing rule alone would let it through.
        var request = new HttpRequestMessage(HttpMethod.Get, "/hubs/training?id=x");
        request.Headers.Add("Origin", Evil);
        request.Headers.Add("Upgrade", "websocket");
        request.Headers.Add("Connection", "Upgrade");
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        Assert.Equal(HttpStatusCode.Forbidden, (await _open.CreateClient().SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task InOpenModeARequestThroughAProxyIsRefusedWithAMessageThatSaysToSetAToken()
    {
        var http = _open.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/runs")).StatusCode);
        foreach (var header in CrossSiteGuardMiddleware.ProxyHeaders)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
            request.Headers.TryAddWithoutValidation(header, header == "Forwarded" ? "for=203.0.113.7" : "203.0.113.7");
            var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            using var problem = await response.ProblemAsync();
            var detail = problem.RootElement.GetProperty("detail").GetString();
            Assert.Contains(header, detail);
            Assert.Contains("Security:RequireToken=true", detail);
        }
    }

    [Fact]
    public async Task InTokenModeAProxiedRequestWithTheTokenIsServed()
    {
        await using var factory = TokenFactory(Token);
        var http = factory.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task TheTokenInTheQuerySetsTheCookieAndRedirectsToTheSameUrlWithoutIt()
    {
        await using var factory = TokenFactory(Token);
        var http = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await http.GetAsync($"/runs/3?tab=log&token={Token}&x=a%20b");
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/runs/3?tab=log&x=a%20b", response.Headers.Location!.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(TokenAuthenticationMiddleware.CookieName + "=", StringComparison.Ordinal));

        // //host/ in the path must not turn into a redirect to another host.
        var sneaky = await http.GetAsync(new Uri($"http://localhost//evil.example/?token={Token}"));
        Assert.Equal(HttpStatusCode.SeeOther, sneaky.StatusCode);
        Assert.Equal("/evil.example/", sneaky.Headers.Location!.OriginalString);
    }

    [Fact]
    public void ATokenShorterThan16CharactersRefusesToStartNamingTheSetting()
    {
        using var factory = TokenFactory("short-token");
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Security:Token is 11 characters long; a token needs at least 16", error.ToString());
    }

    [Fact]
    public async Task AfterRotatingTheTokenCookiesIssuedUnderTheOldOneAreRefused()
    {
        string cookie;
        await using (var before = TokenFactory(Token))
        {
            var http = before.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
            var response = await http.GetAsync($"/?token={Token}");
            cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(TokenAuthenticationMiddleware.CookieName + "=", StringComparison.Ordinal)).Split(';')[0];
            var withCookie = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
            withCookie.Headers.Add("Cookie", cookie);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(withCookie)).StatusCode);
        }
        await using var after = TokenFactory("the-new-token-after-rotation");
        var stale = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        stale.Headers.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.Unauthorized, (await after.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false }).SendAsync(stale)).StatusCode);
    }
}
