using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using VptSp.Core.Data;
using VptSp.Core.Inference;
using VptSp.Core.Inference.Retrieval;
using VptSp.Tests.Support;
using VptSp.Tests.Web.Support;
using VptSp.Runs;
using VptSp.Web.Services.Retrieval;

namespace VptSp.Tests.Web.Functional;

/// <summary>POST /api/search and the gallery/failure endpoints over real completed runs.</summary>
public sealed class SearchTests(SearchRunsFixture f) : IClassFixture<SearchRunsFixture>
{
    private HttpClient Http => f.Http;

    private async Task<JsonObject> Gallery(long id) => JsonNode.Parse(await Http.GetStringAsync($"/api/runs/{id}/gallery"))!.AsObject();

    private Task<byte[]> GalleryImage(long id, int index) => Http.GetByteArrayAsync($"/api/runs/{id}/gallery/{index}/image");

    [Fact]
    public async Task AGalleryImageFindsItselfOrItsClassAtRankOneWithScoreNearOne()
    {
        var gallery = await Gallery(f.RunA);
        Assert.Equal(24, gallery["count"]!.GetValue<int>()); // the test split: 4 classes × 6 images
        var first = gallery["images"]![5]!;
        var search = await Http.SearchOkAsync(f.RunA, await GalleryImage(f.RunA, 5), k: 5);

        Assert.Equal(f.RunA, search["runId"]!.GetValue<long>());
        Assert.Equal(5, search["k"]!.GetValue<int>());
        Assert.True(search["elapsedMs"]!.GetValue<double>() > 0);
        var results = search["results"]!.AsArray();
        Assert.Equal(5, results.Count);
        Assert.Equal([1, 2, 3, 4, 5], results.Select(r => r!["rank"]!.GetValue<int>()));
        var top = results[0]!;
        Assert.True(top["galleryIndex"]!.GetValue<int>() == 5 || top["label"]!.GetValue<string>() == first["label"]!.GetValue<string>());
        Assert.Equal(1.0, top["score"]!.GetValue<double>(), 3);
        Assert.Equal("/api/runs/" + f.RunA + "/gallery/" + top["galleryIndex"] + "/image", top["imageUrl"]!.GetValue<string>());
        Assert.Equal(SearchClient.Scores(search).OrderDescending(), SearchClient.Scores(search));
    }

    [Fact]
    public async Task HotSwappingBetweenTwoRunsReturnsEachRunsOwnResults()
    {
        var image = await GalleryImage(f.RunA, 13);
        var k = 24;
        var a1 = await Http.SearchOkAsync(f.RunA, image, k);
        var b = await Http.SearchOkAsync(f.RunB, image, k);
        var a2 = await Http.SearchOkAsync(f.RunA, image, k);

        var (expectedA, scoresA) = Direct(f.RunDirectory(f.RunA), image, k);
        var (expectedB, scoresB) = Direct(f.RunDirectory(f.RunB), image, k);
        Assert.NotEqual(scoresA, scoresB);
        Assert.Equal(expectedA, SearchClient.Indices(a1));
        Assert.Equal(expectedB, SearchClient.Indices(b));
        Assert.Equal(expectedA, SearchClient.Indices(a2));
        AssertClose(scoresA, SearchClient.Scores(a1));
        AssertClose(scoresB, SearchClient.Scores(b));
        AssertClose(scoresA, SearchClient.Scores(a2));

        var engine = f.Factory.Services.GetRequiredService<RetrievalService>().Engine;
        Assert.Equal(1, engine.Backbones.Builds); // both runs over one pooled model: switching copied tensors only
    }

    /// <summary>The run's model loaded on its own, its gallery embedded on its own, exact search.</summary>
    private static (int[] Indices, float[] Scores) Direct(string runDirectory, byte[] image, int k)
    {
        using var model = RunModelLoader.Load(runDirectory);
        var embedder = new MetricModelEmbedder(model);
        var split = GalleryStore.OpenDataset(runDirectory).Split(SplitNames.Test);
        using var gallery = EmbeddingExtractor.Embed(embedder, split, 8, 1);
        var file = Path.Combine(Path.GetTempPath(), $"vptsp-query-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(file, image);
        try
        {
            using var query = ImageFileEmbedding.Embed(embedder, [file]);
            var rows = Enumerable.Range(0, split.Count).Select(i => gallery[i].data<float>().ToArray()).ToList();
            using var index = new ExactEmbeddingIndex(rows);
            var hits = index.Search(query[0].data<float>().ToArray(), k);
            return (hits.Select(h => h.Index).ToArray(), hits.Select(h => h.Score).ToArray());
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 4);
    }

    public static TheoryData<string, int, string> BadUploads => new()
    {
        { "oversized", 413, "TooLarge" },
        { "text", 415, "NotAnImage" },
        { "gif", 415, "UnsupportedFormat" },
        { "tiff", 415, "UnsupportedFormat" },
        { "truncated-png", 400, "Truncated" },
        { "truncated-jpeg", 400, "Truncated" },
        { "bomb-png", 400, "TooManyPixels" },
        { "tall-1x200000", 400, "ExtremeAspectRatio" },
        { "wide-200000x1", 400, "ExtremeAspectRatio" },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task ABadUploadGetsAProblemNamingItAndTheServerKeepsServing(string kind, int status, string reason)
    {
        var bytes = kind switch
        {
            "oversized" => new byte[11 * 1024 * 1024],
            "text" => CraftedImages.Text(),
            "gif" => CraftedImages.Gif(),
            "tiff" => CraftedImages.Tiff(),
            "truncated-png" => CraftedImages.Truncated(jpeg: false),
            "truncated-jpeg" => CraftedImages.Truncated(jpeg: true),
            "bomb-png" => CraftedImages.PngHeader(60000, 60000),
            "tall-1x200000" => HostileImages.Png(1, 200_000),
            "wide-200000x1" => HostileImages.Png(200_000, 1),
            _ => throw new ArgumentException(kind),
        };
        var started = DateTime.UtcNow;
        var response = await Http.SearchAsync(f.RunA, bytes, fileName: kind + ".png");
        Assert.True((int)response.StatusCode == status, $"{kind}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var problem = await response.ProblemAsync();
        Assert.Equal(reason, problem.RootElement.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), $"{kind} took {DateTime.UtcNow - started}");

        // the server keeps serving, searches included
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/api/runs")).StatusCode);
        await Http.SearchOkAsync(f.RunA, await GalleryImage(f.RunA, 0), k: 1);
    }

    public static TheoryData<string> UnusualEncodings => new(HostileImages.AcceptedPairs().Select(p => p.Name));

    [Theory]
    [MemberData(nameof(UnusualEncodings))]
    public async Task AnUnusualButValidEncodingIsSearchedLikeItsPlainRgbEquivalent(string name)
    {
        var (_, image, plain) = HostileImages.Accepted(name);
        var a = await Http.SearchOkAsync(f.RunA, image, k: 24);
        var b = await Http.SearchOkAsync(f.RunA, plain, k: 24);
        // Embeddings within 1e-3 cosine (HostileImageTests) move each unit-vector score by at most √(2·1e-3) ≈ 0.045.
        var scoresB = SearchClient.Indices(b).Zip(SearchClient.Scores(b)).ToDictionary(p => p.First, p => p.Second);
        foreach (var (index, score) in SearchClient.Indices(a).Zip(SearchClient.Scores(a)))
            Assert.True(Math.Abs(score - scoresB[index]) < 0.045, $"{name}: gallery {index} scored {score} vs {scoresB[index]}");
    }

    [Fact]
    public async Task BadSearchArgumentsAreNamed()
    {
        var image = await GalleryImage(f.RunA, 0);
        async Task Expect(HttpResponseMessage r, HttpStatusCode code, string? field)
        {
            Assert.True(r.StatusCode == code, $"{(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
            using var p = await r.ProblemAsync();
            if (field is not null) Assert.Equal(field, p.RootElement.GetProperty("field").GetString());
        }
        await Expect(await Http.SearchAsync(f.RunA, image, k: 0), HttpStatusCode.BadRequest, "k");
        await Expect(await Http.SearchAsync(f.RunA, image, k: 101), HttpStatusCode.BadRequest, "k");
        await Expect(await Http.PostAsync("/api/search", new MultipartFormDataContent { { new StringContent("1"), "runId" } }), HttpStatusCode.BadRequest, "image");
        await Expect(await Http.PostAsync("/api/search", new StringContent("{}", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.UnsupportedMediaType, "image");
        await Expect(await Http.SearchAsync(987654, image), HttpStatusCode.NotFound, null);
        await Expect(await Http.SearchAsync(f.FailedRun, image), HttpStatusCode.Conflict, null);
    }

    [Fact]
    public async Task TheGalleryImageEndpointServesOnlyValidIndicesOfThatRunsGallery()
    {
        var count = (await Gallery(f.RunA))["count"]!.GetValue<int>();
        var ok = await Http.GetAsync($"/api/runs/{f.RunA}/gallery/{count - 1}/image");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("image/png", ok.Content.Headers.ContentType?.MediaType);
        var split = GalleryStore.OpenDataset(f.RunDirectory(f.RunA)).Split(SplitNames.Test);
        Assert.Equal(File.ReadAllBytes(split.Samples[count - 1].Path), await ok.Content.ReadAsByteArrayAsync());

        foreach (var bad in new[] { $"{count}/image", "-1/image", "99999999/image" })
        {
            var r = await Http.GetAsync($"/api/runs/{f.RunA}/gallery/{bad}");
            Assert.True(r.StatusCode == HttpStatusCode.NotFound, $"{bad}: {(int)r.StatusCode}");
            using var _ = await r.ProblemAsync();
        }
        foreach (var probe in new[] { "..%2F..%2Fconfig.yaml/image", "%2Fetc%2Fpasswd/image", "0/../../config.yaml" })
            Assert.NotEqual(HttpStatusCode.OK, (await Http.GetAsync($"/api/runs/{f.RunA}/gallery/{probe}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/runs/987654/gallery/0/image")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Http.GetAsync($"/api/runs/{f.FailedRun}/gallery/0/image")).StatusCode);
    }

    [Fact]
    public async Task AGalleryQueryExcludesItselfAndReportsItsFirstCorrectRank()
    {
        var form = new MultipartFormDataContent { { new StringContent(f.RunA.ToString()), "runId" }, { new StringContent("7"), "galleryIndex" }, { new StringContent("23"), "k" } };
        var response = await Http.PostAsync("/api/search", form);
        var search = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var indices = SearchClient.Indices(search);
        Assert.Equal(23, indices.Length);
        Assert.DoesNotContain(7, indices);
        var label = search["queryLabel"]!.GetValue<string>();
        var labels = search["results"]!.AsArray().Select(r => r!["label"]!.GetValue<string>()).ToList();
        Assert.Equal(labels.IndexOf(label) + 1, search["firstCorrectRank"]!.GetValue<int>());
    }

    [Fact]
    public async Task TheFailureGalleryListsTestClassesByRecallAtOneWithTheirWorstQueries()
    {
        var report = JsonNode.Parse(await Http.GetStringAsync($"/api/runs/{f.RunA}/failures"))!.AsObject();
        Assert.Equal(24, report["queries"]!.GetValue<int>());
        Assert.True(report["queriesAreGallery"]!.GetValue<bool>());
        var classes = report["classes"]!.AsArray();
        Assert.Equal(4, classes.Count);
        var recalls = classes.Select(c => c!["recallAt1"]!.GetValue<double>()).ToArray();
        Assert.Equal(recalls.Order(), recalls);
        Assert.Equal(recalls.Average(), report["recallAt1"]!.GetValue<double>(), 9); // 6 queries in every class

        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/api/runs/{f.RunA}/queries/23/image")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/runs/{f.RunA}/queries/24/image")).StatusCode);

        var metrics = await Http.GetMetricsAsync(f.RunA);
        var bestR1 = metrics["epochs"]!.AsArray().Select(e => e!["recall@1"]!.GetValue<double>()).ToList();
        Assert.Contains(bestR1, r => Math.Abs(r - report["recallAt1"]!.GetValue<double>()) < 1e-9);

        foreach (var c in classes)
        {
            var worst = c!["worst"]!.AsArray();
            Assert.Equal(c["recallAt1"]!.GetValue<double>() < 1, worst.Count > 0);
            foreach (var q in worst)
            {
                Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(q!["imageUrl"]!.GetValue<string>())).StatusCode);
                Assert.True(q!["firstCorrectRank"]!.GetValue<int>() > 1);
                Assert.False(q["neighbours"]![0]!["correct"]!.GetValue<bool>());
                Assert.NotEqual(c["label"]!.GetValue<string>(), q["neighbours"]![0]!["label"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task KIsCheckedInOnePlaceForTheApiAndThePage()
    {
        var search = f.Factory.Services.GetRequiredService<SearchService>();
        var max = f.Factory.Services.GetRequiredService<RetrievalService>().Options.MaxK;
        var expected = Assert.Throws<InvalidRunInputException>(() => search.CheckK(max + 1));
        Assert.Equal("k", expected.Field);
        Assert.Equal(expected.Message, Assert.Throws<InvalidRunInputException>(() => search.ParseK("abc")).Message);
        // the page offers only values the check accepts, and searches through the same service
        Assert.All(search.KChoices, k => Assert.Equal(k, search.CheckK(k)));
        Assert.Equal(search.DefaultK, search.ParseK(null));
        await Assert.ThrowsAsync<InvalidRunInputException>(() =>
            search.SearchAsync(f.RunA, new SearchQueryInput.GalleryImage(f.RunA, 0), 0));

        var response = await Http.SearchAsync(f.RunA, await GalleryImage(f.RunA, 0), k: max + 1);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = await response.ProblemAsync();
        Assert.Equal(expected.Message, problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal("k", problem.RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task AGalleryImageOfAnotherRunWithTheSameGalleryIsExcludedThereToo()
    {
        var search = f.Factory.Services.GetRequiredService<SearchService>();
        var across = await search.SearchAsync(f.RunB, new SearchQueryInput.GalleryImage(f.RunA, 7), 5);
        var within = await search.SearchAsync(f.RunB, new SearchQueryInput.GalleryImage(f.RunB, 7), 5);
        Assert.Equal(f.RunB, across.RunId);
        Assert.Equal(7, across.Search.QueryIndex);
        Assert.Equal(within.Search.Results.Select(r => r.Index), across.Search.Results.Select(r => r.Index));
        Assert.DoesNotContain(7, across.Search.Results.Select(r => r.Index));
    }
}
