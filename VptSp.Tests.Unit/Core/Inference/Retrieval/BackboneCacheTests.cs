using VptSp.Core.Inference;
using VptSp.Core.Inference.Retrieval;
using VptSp.Core.Modeling;
using VptSp.Tests.Support;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Inference.Retrieval;

public sealed class BackboneCacheTests : IDisposable
{
    private readonly SyntheticDataset _data = new(classes: 4, imagesPerClass: 2);
    private readonly string _root = Directory.CreateTempSubdirectory("vptsp-retrieval-").FullName;

    public void Dispose()
    {
        _data.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private IReadOnlyList<string> Images => ImageFileEmbedding.Collect([_data.Root]);

    private Tensor EmbedThroughCache(BackboneCache cache, RunArtefact artefact) =>
        ImageFileEmbedding.Embed(cache.EmbedderFor(artefact), Images);

    [Theory]
    [InlineData("vpt")]
    [InlineData("bitfit")]
    [InlineData("adapter")]
    [InlineData("vptsp_g")]
    [InlineData("full")]
    public void SwappingRunsOnOnePooledModelGivesEachRunTheEmbeddingsOfItsFreshlyLoadedModel(string method)
    {
        var a = RetrievalRunFixtures.MakeRun(_root, "a", _data, RetrievalRunFixtures.Options(method), perturbation: 11);
        var b = RetrievalRunFixtures.MakeRun(_root, "b", _data, RetrievalRunFixtures.Options(method), perturbation: 22);
        using var expectedA = RetrievalRunFixtures.DirectEmbeddings(a, Images);
        using var expectedB = RetrievalRunFixtures.DirectEmbeddings(b, Images);
        Assert.False(expectedA.allclose(expectedB, rtol: 0, atol: 1e-3), "the two runs must differ for the test to mean anything");

        using var cache = new BackboneCache(capacity: 2);
        using var artefactA = RunArtefact.Load(a);
        using var artefactB = RunArtefact.Load(b);
        Assert.Equal(artefactA.PoolKey, artefactB.PoolKey);
        using var gotA = EmbedThroughCache(cache, artefactA);
        using var gotB = EmbedThroughCache(cache, artefactB);
        using var gotAAgain = EmbedThroughCache(cache, artefactA);

        Assert.Equal(1, cache.Builds);
        Assert.Equal(3, cache.For(artefactA).SwapCount);
        Assert.True(gotA.allclose(expectedA, rtol: 0, atol: 1e-5), "run a through the cache");
        Assert.True(gotB.allclose(expectedB, rtol: 0, atol: 1e-5), "run b after swapping");
        Assert.True(gotAAgain.allclose(expectedA, rtol: 0, atol: 1e-5), "run a after swapping back");
    }

    [Fact]
    public void TheCacheKeepsAtMostItsCapacityOfPooledModelsEvictingTheLeastRecentlyUsed()
    {
        // different random backbones (seeds) → different pooled models
        var runs = new[] { 1, 2, 3 }.Select(s =>
            RetrievalRunFixtures.MakeRun(_root, $"s{s}", _data, RetrievalRunFixtures.Options("vpt", seed: s), perturbation: s)).ToArray();
        var artefacts = runs.Select(r => RunArtefact.Load(r)).ToArray();
        try
        {
            using var cache = new BackboneCache(capacity: 2);
            using var image = rand(1, 3, 32, 32);
            void Use(int i) => cache.Embed(artefacts[i], image).Dispose();
            Use(0);
            Use(1);
            Use(0);           // 0 is now the most recent
            Use(2);           // evicts 1
            Assert.Equal(2, cache.Count);
            Assert.Equal([artefacts[2].PoolKey, artefacts[0].PoolKey], cache.Keys);
            Assert.Equal(3, cache.Builds);
            Use(1);           // rebuilt, evicts 0
            Assert.Equal(4, cache.Builds);
            Assert.Equal([artefacts[1].PoolKey, artefacts[2].PoolKey], cache.Keys);
        }
        finally
        {
            foreach (var a in artefacts) a.Dispose();
        }
    }

    [Fact]
    public void ConcurrentSearchesOfTwoRunsOnOnePooledModelNeverMixTheirWeights()
    {
        var a = RetrievalRunFixtures.MakeRun(_root, "ca", _data, RetrievalRunFixtures.Options("vpt"), perturbation: 5);
        var b = RetrievalRunFixtures.MakeRun(_root, "cb", _data, RetrievalRunFixtures.Options("vpt"), perturbation: 6);
        using var cache = new BackboneCache(capacity: 1);
        using var artefactA = RunArtefact.Load(a);
        using var artefactB = RunArtefact.Load(b);
        using var image = rand(2, 3, 32, 32, generator: new Generator(7));
        float[] Embed(RunArtefact r)
        {
            using var e = cache.Embed(r, image);
            return e.data<float>().ToArray();
        }
        var expectedA = Embed(artefactA);
        var expectedB = Embed(artefactB);
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var (artefact, expected) = i % 2 == 0 ? (artefactA, expectedA) : (artefactB, expectedB);
            Assert.Equal(expected, Embed(artefact));
        });
        Assert.Equal(1, cache.Builds);
    }
}
