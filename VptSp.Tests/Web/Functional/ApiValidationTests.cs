using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Web.Functional;

/// <summary>Bad input and unknown ids get ProblemDetails that say what is wrong; the catalog endpoints answer.</summary>
public sealed class ApiValidationTests : IAsyncLifetime
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private VptSpWebFactory _factory = null!;
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _factory = new VptSpWebFactory(_dataDir, new ScriptedTrainingEngine());
        _http = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
    }

    public static TheoryData<string, string> BadConfigs => new()
    {
        { """{"config": "emoji_vptsp_g", "overrides": {"n_epoch": 1}}""", "n_epoch" },
        { """{"config": "emoji_vptsp_g", "overrides": {"batch_size": 63}}""", "batch_size" },
        { """{"config": "emoji_vptsp_g", "overrides": {"lr": "fast"}}""", "lr" },
        { """{"config": "emoji_vptsp_g", "overrides": {"optim": "rmsprop"}}""", "optim" },
        { """{"config": "emoji_vptsp_g", "overrides": {"seed": {"nested": 1}}}""", "seed" },
        { """{"config": "dataset: emoji\nn_epochs: 0\n"}""", "n_epochs" },
        { """{"config": "dataset: emoji\nwarmpu: 2\n"}""", "warmpu" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public async Task InvalidConfigIsRejectedWith400NamingTheKey(string body, string key)
    {
        var response = await _http.PostAsync("/api/runs", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = await response.ProblemAsync();
        Assert.Equal(key, problem.RootElement.GetProperty("key").GetString());
        Assert.Contains($"'{key}'", problem.RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"config": "no_such_preset"}""", "config")]
    [InlineData("""{"config": ""}""", "config")]
    [InlineData("""{"config": "emoji_vptsp_g", "sourcePath": "relative/path"}""", "sourcePath")]
    [InlineData("""{"config": "emoji_vptsp_g", "sourcePath": "/no/such/folder/anywhere"}""", "sourcePath")]
    public async Task InvalidRequestFieldsAreRejectedWith400NamingTheField(string body, string field)
    {
        var response = await _http.PostAsync("/api/runs", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = await response.ProblemAsync();
        Assert.Equal(field, problem.RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task MalformedJsonAndOversizedConfigsAreRejectedWithProblemDetails()
    {
        var malformed = await _http.PostAsync("/api/runs", new StringContent("{\"config\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        (await malformed.ProblemAsync()).Dispose();

        var huge = await _http.PostAsJsonAsync("/api/runs", new { config = "dataset: emoji\n# " + new string('x', 70_000) });
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        using var problem = await huge.ProblemAsync();
        Assert.Equal("config", problem.RootElement.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("GET", "/api/runs/424242")]
    [InlineData("GET", "/api/runs/424242/metrics")]
    [InlineData("POST", "/api/runs/424242/cancel")]
    [InlineData("POST", "/api/runs/424242/resume")]
    [InlineData("DELETE", "/api/runs/424242")]
    public async Task UnknownRunIdsGet404ProblemDetails(string method, string path)
    {
        var response = await _http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var problem = await response.ProblemAsync();
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task UnknownApiPathsGet404ProblemDetails()
    {
        var response = await _http.GetAsync("/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        (await response.ProblemAsync()).Dispose();
    }

    [Fact]
    public async Task StateChangingCallsFromAnotherOriginAndNonLoopbackHostNamesAreRefused()
    {
        var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/runs/1/cancel");
        crossSite.Headers.Add("Origin", "http://evil.example");
        var refused = await _http.SendAsync(crossSite);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        (await refused.ProblemAsync()).Dispose();

        var sameSite = new HttpRequestMessage(HttpMethod.Post, "/api/runs/1/cancel");
        sameSite.Headers.Add("Origin", "http://localhost");
        Assert.Equal(HttpStatusCode.NotFound, (await _http.SendAsync(sameSite)).StatusCode);

        var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        rebound.Headers.Host = "attacker.example";
        Assert.Equal(HttpStatusCode.Forbidden, (await _http.SendAsync(rebound)).StatusCode);
    }

    [Fact]
    public async Task UnknownPagesStillGetTheNotFoundPage()
    {
        var response = await _http.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Not Found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PresetsAndDataRootsAreListed()
    {
        var presets = JsonNode.Parse(await _http.GetStringAsync("/api/presets"))!.AsArray();
        var demo = presets.Single(p => p!["name"]!.GetValue<string>() == "emoji_vptsp_g")!;
        Assert.Equal("emoji", demo["dataset"]!.GetValue<string>());
        Assert.Equal("vptsp_g", demo["method"]!.GetValue<string>());
        Assert.Contains(presets, p => p!["name"]!.GetValue<string>() == "cub200_small");

        // a small but real emoji-datasource tree in the demo root
        using (var tmp = new VptSp.Tests.Core.Data.TempDir())
        {
            var made = VptSp.Tests.Core.Data.EmojiFixture.Make(tmp);
            foreach (var file in Directory.EnumerateFiles(made, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(_dataDir, "demo", "emoji", Path.GetRelativePath(made, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
        var roots = JsonNode.Parse(await _http.GetStringAsync("/api/datasets"))!.AsArray();
        var root = roots.Single(r => r!["name"]!.GetValue<string>() == "demo")!;
        Assert.Equal(Path.Combine(_dataDir, "demo"), root["path"]!.GetValue<string>());
        var emoji = root["datasets"]![0]!;
        Assert.Equal("emoji", emoji["name"]!.GetValue<string>());
        // EmojiFixture: test = classes e3 and e7, one Google and one Twitter image each
        Assert.Equal(2, emoji["splits"]!["test"]!["classes"]!.GetValue<int>());
        Assert.Equal(4, emoji["splits"]!["test"]!["images"]!.GetValue<int>());
        Assert.Contains(emoji["credits"]!.AsArray(), c => c!.GetValue<string>().Contains("Twemoji"));
    }

    [Fact]
    public async Task OpenApiDocumentDescribesTheRunsApi()
    {
        var doc = JsonNode.Parse(await _http.GetStringAsync("/openapi/v1.json"))!;
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/runs", paths);
        Assert.Contains("/api/runs/{id}/metrics", paths);
        Assert.Contains("/api/runs.csv", paths);
        Assert.Contains("/api/datasets", paths);
    }
}
