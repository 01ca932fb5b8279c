using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using VptSp.Core.Inference;
using VptSp.Core.Inference.Retrieval;
using VptSp.Tests.Support;

namespace VptSp.Tests.Core.Inference.Retrieval;

public sealed class RetrievalEngineTests : IDisposable
{
    private readonly SyntheticDataset _data = new(classes: 6, imagesPerClass: 3);
    private readonly string _root = Directory.CreateTempSubdirectory("vptsp-engine-").FullName;

    public void Dispose()
    {
        _data.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private byte[] QueryBytes() => File.ReadAllBytes(Path.Combine(_data.Root, "class_04", "img_1.png"));

    private int[] DirectTop(string run, int k)
    {
        using var model = RunModelLoader.Load(run);
        var embedder = new MetricModelEmbedder(model);
        var split = GalleryStore.OpenDataset(run).Evaluation.Gallery;
        using var gallery = EmbeddingExtractor.Embed(embedder, split, 8, 1);
        using var query = ImageFileEmbedding.Embed(embedder, [Path.Combine(_data.Root, "class_04", "img_1.png")]);
        using var index = new ExactEmbeddingIndex(Enumerable.Range(0, split.Count).Select(i => gallery[i].data<float>().ToArray()).ToList());
        return index.Search(query[0].data<float>().ToArray(), k).Select(h => h.Index).ToArray();
    }

    [Fact]
    public void AnEngineNoticesARetrainedArtefactAndSearchesWithTheNewWeights()
    {
        var options = RetrievalRunFixtures.Options();
        var run = RetrievalRunFixtures.MakeRun(_root, "run", _data, options, perturbation: 1);
        using var engine = new RetrievalEngine();
        var first = engine.Search(run, QueryBytes(), 9).Results;
        Assert.Equal(DirectTop(run, 9), first.Select(r => r.Index));

        RetrievalRunFixtures.SaveArtefact(Path.Combine(run, "artefacts"), options, perturbation: 99);
        var second = engine.Search(run, QueryBytes(), 9).Results;
        Assert.Equal(DirectTop(run, 9), second.Select(r => r.Index));
        Assert.NotEqual(first.Select(r => r.Score), second.Select(r => r.Score)); // new weights, new gallery embeddings
    }

    [Theory]
    [InlineData("vpt")]
    [InlineData("vptsp_g")]
    public void TheOnnxQueryEngineFindsTheTorchEnginesNeighboursWithTheSameScores(string method)
    {
        var run = RetrievalRunFixtures.MakeRun(_root, method, _data, RetrievalRunFixtures.Options(method), perturbation: 4);
        using var torch = new RetrievalEngine();
        using var onnx = new RetrievalEngine(new RetrievalOptions { QueryEngine = QueryEngine.Onnx });
        var expected = torch.Search(run, QueryBytes(), 9).Results;
        var actual = onnx.Search(run, QueryBytes(), 9).Results;
        Assert.Equal(DirectTop(run, 9), expected.Select(r => r.Index));
        Assert.Equal(expected.Select(r => r.Index), actual.Select(r => r.Index));
        for (var i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(expected[i].Score - actual[i].Score) <= 1e-4, $"rank {i + 1}: {actual[i].Score} vs torch {expected[i].Score}");
        Assert.Equal(QueryEngine.Onnx, onnx.Search(run, QueryBytes(), 1).QueryEngine);
        Assert.Equal(QueryEngine.Torch, torch.Search(run, QueryBytes(), 1).QueryEngine);
        Assert.Equal((1, 0), (onnx.OnnxExports, torch.OnnxExports)); // the ONNX engine really embedded the queries (one export)
        Assert.Equal(1, onnx.Backbones.Builds); // the gallery is still embedded (once) by the TorchSharp model
    }

    [Fact]
    public void TheEngineKeepsAtMostItsGalleryBoundOfRunsInMemory()
    {
        var runs = Enumerable.Range(0, 3).Select(i =>
            RetrievalRunFixtures.MakeRun(_root, $"r{i}", _data, RetrievalRunFixtures.Options(), perturbation: i + 1)).ToArray();
        using var engine = new RetrievalEngine(new RetrievalOptions { MaxGalleries = 2, MaxBackbones = 1 });
        foreach (var r in runs) engine.Search(r, QueryBytes(), 3);
        Assert.Equal([runs[2], runs[1]], engine.CachedRuns);
        Assert.Equal(1, engine.Backbones.Builds); // three runs over one backbone: one pooled model
        Assert.Equal(DirectTop(runs[0], 5), engine.Search(runs[0], QueryBytes(), 5).Results.Select(r => r.Index)); // reopened from its stored gallery
    }

    [Fact]
    public void ABadImageIsRejectedWithItsReasonAndTheEngineKeepsWorking()
    {
        var run = RetrievalRunFixtures.MakeRun(_root, "run", _data, RetrievalRunFixtures.Options(), perturbation: 1);
        using var engine = new RetrievalEngine();
        using var gif = new Image<Rgb24>(4, 4);
        using var ms = new MemoryStream();
        gif.SaveAsGif(ms);
        var ex = Assert.Throws<VptSp.Core.Data.Images.ImageRejectedException>(() => engine.Search(run, ms.ToArray(), 3, source: "cat.gif"));
        Assert.Equal(VptSp.Core.Data.Images.ImageRejectionReason.UnsupportedFormat, ex.Reason);
        Assert.StartsWith("cat.gif:", ex.Message);
        Assert.Equal(3, engine.Search(run, QueryBytes(), 3).Results.Count);
    }

    [Fact]
    public void InShopSearchesItsGallerySplitAndAnalysesFailuresOfItsQuerySplit()
    {
        var source = RetrievalRunFixtures.MakeInShop(_root, _data);   // 3 test classes, 1 query + 2 gallery images each
        var run = RetrievalRunFixtures.MakeRun(_root, "inshop-run", source, "inshop", RetrievalRunFixtures.Options(), perturbation: 1);
        using var engine = new RetrievalEngine();

        var gallery = engine.Gallery(run);
        Assert.Equal(("inshop", "gallery", 6), (gallery.Dataset, gallery.Split, gallery.Images.Count));
        var failures = engine.Failures(run);
        Assert.False(failures.QueriesAreGallery);
        Assert.Equal(3, failures.Queries);
        Assert.True(File.Exists(Path.Combine(run, "gallery", "query.json")));
        var queries = engine.QueryImages(run)!;
        Assert.Equal(3, queries.Count);
        Assert.All(queries, q => Assert.Contains("img_0.png", q.Path));
        Assert.DoesNotContain(gallery.Images, g => queries.Any(q => q.Path == g.Path));
    }
}
