using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VptSp.Core.Training;
using VptSp.Runs.Data;
using VptSp.Runs.Data.Entities;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Web.Functional;

/// <summary>GET /api/runs pages (limit, cursor, X-Total-Count) over a real SQLite file.</summary>
public sealed class RunsPagingTests : IAsyncLifetime
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private VptSpWebFactory _factory = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _factory = new VptSpWebFactory(_dataDir, new ScriptedTrainingEngine());
        _http = _factory.CreateClient();
        // five runs: #1–#4 completed, #5 failed; #3 archived (left out unless asked)
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<ExperimentDbContext>>().CreateDbContextAsync();
        for (var i = 1; i <= 5; i++)
            db.Runs.Add(new RunEntity
            {
                Name = $"run {i}", Status = i == 5 ? RunState.Failed : RunState.Completed, Archived = i == 3,
                ConfigJson = new TrainingConfig().ToJson(), CreatedAt = DateTimeOffset.UtcNow,
            });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
    }

    private async Task<(string Ids, string Total, string? Next, string? Link)> PageAsync(string query)
    {
        var response = await _http.GetAsync("/api/runs" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = string.Join(",", JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Select(r => r!["id"]!.GetValue<long>()));
        return (ids, response.Headers.GetValues("X-Total-Count").Single(),
            response.Headers.TryGetValues("X-Next-Cursor", out var next) ? next.Single() : null,
            response.Headers.TryGetValues("Link", out var link) ? link.Single() : null);
    }

    [Fact]
    public async Task PagesWalkTheRunsNewestFirstWithTotalAndCursorUntilTheLastPage()
    {
        var first = await PageAsync("?limit=2");
        Assert.Equal(("5,4", "4", "4"), (first.Ids, first.Total, first.Next));
        Assert.Equal("</api/runs?limit=2&cursor=4>; rel=\"next\"", first.Link);
        var second = await PageAsync("?limit=2&cursor=4");
        Assert.Equal(("2,1", "4"), (second.Ids, second.Total)); // #3 is archived
        Assert.Null(second.Next); // nothing below #1: a full last page has no cursor
        Assert.Null(second.Link);

        var all = await PageAsync("?archived=true&limit=2&cursor=4");
        Assert.Equal(("3,2", "5", "2"), (all.Ids, all.Total, all.Next));
        var last = await PageAsync("?archived=true&limit=2&cursor=2");
        Assert.Equal(("1", "5", null), (last.Ids, last.Total, last.Next));
    }

    [Fact]
    public async Task FiltersCountInTheTotalAndNoLimitKeepsTheWholeListOfASmallHistory()
    {
        var completed = await PageAsync("?status=completed&limit=1");
        Assert.Equal(("4", "3", "4"), (completed.Ids, completed.Total, completed.Next));
        var everything = await PageAsync("");
        Assert.Equal(("5,4,2,1", "4", null), (everything.Ids, everything.Total, everything.Next));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=abc", null)]
    [InlineData("cursor=-3", "cursor")]
    public async Task InvalidPagingIs400WithProblemDetails(string query, string? field)
    {
        var response = await _http.GetAsync("/api/runs?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null) Assert.Equal(field, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenApiDocumentsTheRunListsPagingParameters()
    {
        var doc = JsonNode.Parse(await _http.GetStringAsync("/openapi/v1.json"))!;
        var get = doc["paths"]!["/api/runs"]!["get"]!;
        var parameters = get["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("limit", parameters);
        Assert.Contains("cursor", parameters);
        Assert.Contains("X-Total-Count", get["description"]!.GetValue<string>());
    }
}
