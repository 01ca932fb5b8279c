using System.Net;
using System.Text.Json.Nodes;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Web.Functional;

/// <summary>GET /api/runs/{id}/embedding-map over real completed runs.</summary>
public sealed class EmbeddingMapTests(SearchRunsFixture f) : IClassFixture<SearchRunsFixture>
{
    [Fact]
    public async Task MapOfACompletedRunHasOneCentredPointPerGalleryImageWithItsLabel()
    {
        var map = JsonNode.Parse(await f.Http.GetStringAsync($"/api/runs/{f.RunA}/embedding-map"))!;
        var gallery = JsonNode.Parse(await f.Http.GetStringAsync($"/api/runs/{f.RunA}/gallery"))!;
        var points = map["points"]!.AsArray();
        Assert.Equal(24, map["galleryCount"]!.GetValue<int>());
        Assert.Equal(Enumerable.Range(0, 24), points.Select(p => p!["index"]!.GetValue<int>()));
        var classNames = map["classNames"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        var galleryClasses = gallery["images"]!.AsArray().Select(i => i!["label"]!.GetValue<string>()).ToList();
        Assert.Equal(galleryClasses, points.Select(p => classNames[p!["label"]!.GetValue<int>()]));
        // PCA of centred rows: each axis sums to zero, the first axis varies at least as much as the second.
        var xs = points.Select(p => p!["x"]!.GetValue<double>()).ToList();
        var ys = points.Select(p => p!["y"]!.GetValue<double>()).ToList();
        Assert.Equal(0, xs.Sum(), 6);
        Assert.Equal(0, ys.Sum(), 6);
        Assert.True(xs.Sum(x => x * x) >= ys.Sum(y => y * y));
        var explained = map["explainedVariance"]!.AsArray().Select(v => v!.GetValue<double>()).ToList();
        Assert.True(explained[0] >= explained[1] && explained[0] + explained[1] <= 1 + 1e-9);
        // The explained share of the first axis is its variance over the total: Σx² / (n − 1) / total ≥ 0.
        Assert.InRange(explained[0], 0.0, 1.0);
    }

    [Fact]
    public async Task MapSubsamplesEvenlyBeyondMaxAndNamesBadRequests()
    {
        var map = JsonNode.Parse(await f.Http.GetStringAsync($"/api/runs/{f.RunA}/embedding-map?max=5"))!;
        Assert.Equal([0, 5, 10, 15, 20], map["points"]!.AsArray().Select(p => p!["index"]!.GetValue<int>())); // every ⌈24 / 5⌉ = 5th image

        var bad = await f.Http.GetAsync($"/api/runs/{f.RunA}/embedding-map?max=1");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using (var problem = await bad.ProblemAsync()) Assert.Equal("max", problem.RootElement.GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await f.Http.GetAsync($"/api/runs/{f.FailedRun}/embedding-map")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await f.Http.GetAsync("/api/runs/9999/embedding-map")).StatusCode);
    }
}
