using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VptSp.Tests.Web.Support;
using VptSp.Runs.Data;

namespace VptSp.Tests.Web.Experiments;

/// <summary>/api/sweeps, /api/groups and /api/results over a real SQLite file and the scripted engine.</summary>
public sealed class SweepApiTests : IAsyncLifetime
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private readonly ScriptedTrainingEngine _engine = new()
    {
        StepsPerEpoch = 1,
        // R@1 depends on lr, num_prompt and seed so that groups have a spread; MAP@R = R@1 / 2.
        EpochMetrics = (c, epoch) =>
        {
            var r1 = Math.Round(c.Lr * 10 + c.NumPrompt * 0.01 + c.Seed * 0.02 + epoch * 0.001, 6);
            return new() { ["recall@1"] = r1, ["recall@2"] = r1 + 0.1, ["map@r"] = r1 / 2, ["map@r_ref"] = r1 / 4 };
        },
    };
    private VptSpWebFactory _factory = null!;
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _factory = new VptSpWebFactory(_dataDir, _engine);
        _http = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
    }

    private static object Sweep2x2(int[] seeds, object? numPrompt = null) => new
    {
        name = "s",
        config = "emoji_vptsp_g",
        overrides = new Dictionary<string, object> { ["n_epochs"] = 2 },
        mode = "grid",
        parameters = new Dictionary<string, object> { ["lr"] = new[] { 0.01, 0.02 }, ["num_prompt"] = numPrompt ?? new { min = 1, max = 2, step = 1 } },
        seeds,
    };

    [Fact]
    public async Task GridSweepOfTwoKeysAndTwoSeedsQueuesFourCombinationsTwiceAndItsGroupsAggregateTheSeeds()
    {
        var response = await _http.PostAsJsonAsync("/api/sweeps", Sweep2x2([0, 1]));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var sweepId = created["id"]!.GetValue<long>();
        var runIds = created["runIds"]!.AsArray().Select(x => x!.GetValue<long>()).ToList();
        Assert.Equal(8, runIds.Count);
        foreach (var id in runIds) await _http.WaitForStatusAsync(id, "completed");

        var detail = JsonNode.Parse(await _http.GetStringAsync($"/api/sweeps/{sweepId}"))!;
        Assert.Equal("completed", detail["sweep"]!["status"]!.GetValue<string>());
        Assert.Equal(["lr", "num_prompt"], detail["sweep"]!["keys"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.Equal(8, detail["runs"]!.AsArray().Count);

        var groups = JsonNode.Parse(await _http.GetStringAsync($"/api/groups?by=sweep&sweep={sweepId}"))!.AsArray();
        Assert.Equal(4, groups.Count);
        var g = groups.Single(x => x!["label"]!.GetValue<string>() == $"sweep #{sweepId} · lr=0.02, num_prompt=2")!;
        Assert.Equal(2, g["completed"]!.GetValue<int>());
        // Best epoch is 2 (highest R@1): seeds 0 and 1 → 0.2 + 0.02 + 0.002 = 0.222 and 0.242; mean 0.232, std √((0.01² + 0.01²)/1) = 0.0141421.
        var r1 = g["metrics"]!["recall@1"]!;
        Assert.Equal(0.232, r1["mean"]!.GetValue<double>(), 9);
        Assert.Equal(0.014142135623730963, r1["std"]!.GetValue<double>(), 9);
        Assert.Equal(2, r1["n"]!.GetValue<int>());

        // Each run knows its sweep combination; the seed is not part of it.
        await using var scope = _factory.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ExperimentDbContext>>().CreateDbContextAsync();
        var rows = await db.Runs.Where(r => r.SweepId == sweepId).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(["lr=0.01, num_prompt=1", "lr=0.01, num_prompt=1", "lr=0.01, num_prompt=2"], rows.Take(3).Select(r => r.GroupKey));
        Assert.Equal([0, 1, 0], rows.Take(3).Select(r => r.Seed!.Value));
        Assert.All(rows, r => Assert.True(r.PeakMemoryBytes > 0));

        var md = await _http.GetStringAsync($"/api/results?by=sweep&sweep={sweepId}&format=markdown");
        Assert.Contains($"| sweep #{sweepId} · lr=0.02, num_prompt=2 | 2 | 23.20 ± 1.41 | 33.20 ± 1.41 | 11.60 ± 0.71 | 5.80 ± 0.35 |", md);
        var csv = await _http.GetAsync($"/api/results?sweep={sweepId}&by=key:lr&format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var tex = await _http.GetStringAsync($"/api/results?sweep={sweepId}&by=sweep&format=latex");
        Assert.Contains("\\toprule", tex);
    }

    [Fact]
    public async Task SweepWithOneInvalidCombinationIsRefusedNamingItAndQueuesNothing()
    {
        // proxy_bias_ratio must lie within [0, 1]: the combination with 1.5 is invalid.
        var response = await _http.PostAsJsonAsync("/api/sweeps", new
        {
            config = "emoji_vptsp_g",
            parameters = new Dictionary<string, object> { ["lr"] = new[] { 0.01, 0.02 }, ["proxy_bias_ratio"] = new[] { 0.5, 1.5 } },
            seeds = new[] { 0, 1 },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = await response.ProblemAsync();
        Assert.Equal("proxy_bias_ratio", problem.RootElement.GetProperty("key").GetString());
        Assert.Equal("lr=0.01, proxy_bias_ratio=1.5, seed=0", problem.RootElement.GetProperty("combination").GetString());
        Assert.Contains("proxy_bias_ratio", problem.RootElement.GetProperty("detail").GetString());

        Assert.Empty(JsonNode.Parse(await _http.GetStringAsync("/api/runs"))!.AsArray());
        Assert.Empty(JsonNode.Parse(await _http.GetStringAsync("/api/sweeps"))!.AsArray());
    }

    [Theory]
    [InlineData("{\"config\":\"emoji_vptsp_g\",\"parameters\":{\"nope\":[1,2]}}", "nope")]
    [InlineData("{\"config\":\"emoji_vptsp_g\",\"parameters\":{\"lr\":{\"min\":1,\"max\":0,\"step\":1}}}", "lr")]
    [InlineData("{\"config\":\"emoji_vptsp_g\",\"mode\":\"random\",\"parameters\":{\"lr\":[0.1]}}", null)]
    public async Task InvalidSweepRequestsAre400WithProblemDetails(string body, string? key)
    {
        var response = await _http.PostAsync("/api/sweeps", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = await response.ProblemAsync();
        if (key is not null) Assert.Equal(key, problem.RootElement.GetProperty("key").GetString());
        Assert.Empty(JsonNode.Parse(await _http.GetStringAsync("/api/runs"))!.AsArray());
    }

    [Fact]
    public async Task CancellingASweepCancelsItsRunningAndQueuedRuns()
    {
        var hold = _engine.HoldAt(1);
        var response = await _http.PostAsJsonAsync("/api/sweeps", Sweep2x2([0]));
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var sweepId = created["id"]!.GetValue<long>();
        var runIds = created["runIds"]!.AsArray().Select(x => x!.GetValue<long>()).ToList();
        await hold.Reached.WithTimeout("the first run to start");

        var cancel = await _http.PostAsync($"/api/sweeps/{sweepId}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal(4, JsonNode.Parse(await cancel.Content.ReadAsStringAsync())!["runsAskedToStop"]!.GetValue<int>());
        foreach (var id in runIds) Assert.Equal("cancelled", await _http.WaitForStatusAsync(id, "cancelled"));
        var sweep = JsonNode.Parse(await _http.GetStringAsync($"/api/sweeps/{sweepId}"))!["sweep"]!;
        Assert.Equal("cancelled", sweep["status"]!.GetValue<string>());
        Assert.NotNull(sweep["cancelledAt"]);
        hold.Release();
    }

    [Fact]
    public async Task UnknownSweepIs404AndBadGroupingIs400()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/sweeps/99")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.PostAsync("/api/sweeps/99/cancel", null)).StatusCode);
        var bad = await _http.GetAsync("/api/groups?by=colour");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var problem = await bad.ProblemAsync();
        Assert.Contains("colour", problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync("/api/results?format=docx")).StatusCode);
    }

    [Fact]
    public async Task OpenApiDocumentListsTheExperimentEndpoints()
    {
        var doc = await _http.GetStringAsync("/openapi/v1.json");
        foreach (var path in new[] { "/api/sweeps", "/api/sweeps/{id}", "/api/sweeps/{id}/cancel", "/api/groups", "/api/results" })
            Assert.Contains($"\"{path}\"", doc);
    }
}
