using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using VptSp.Core.Data;
using VptSp.Core.Demo;
using VptSp.Core.Evaluation.Baselines;
using VptSp.Tests.Core.Data;
using VptSp.Tests.Support;

namespace VptSp.Tests.Core.Evaluation;

public class DatasetBaselinesTests
{
    /// <summary>
    /// Folder layout a, b (train) and c, d (test), solid colours. Test: c1 (255,0,0), c2 (255,40,0); d1 (0,0,255),
    /// d2 (0,40,255), d3 (255,30,0) — a red image labelled d. Cosine nearest neighbours: c1 → d3 (6.7° vs 8.9° to c2),
    /// c2 → d3 (2.2°), d3 → c2, d1 ↔ d2: raw-pixel R@1 = 2/5. Chance R@1: c (1 positive of 4) 1/4, d (2 of 4) 1/2 →
    /// (2·1/4 + 3·1/2)/5 = 0.4; R@2: c 1 − C(3,2)/C(4,2) = 1/2, d 1 − C(2,2)/C(4,2) = 5/6 → (2·1/2 + 3·5/6)/5 = 0.7.
    /// </summary>
    internal static string MakeFolder(TempDir dir)
    {
        DataFixtures.Png(dir.Combine("a", "1.png"), new Rgba32(10, 200, 10, 255));
        DataFixtures.Png(dir.Combine("a", "2.png"), new Rgba32(10, 210, 10, 255));
        DataFixtures.Png(dir.Combine("b", "1.png"), new Rgba32(200, 200, 10, 255));
        DataFixtures.Png(dir.Combine("b", "2.png"), new Rgba32(210, 200, 10, 255));
        DataFixtures.Png(dir.Combine("c", "1.png"), new Rgba32(255, 0, 0, 255));
        DataFixtures.Png(dir.Combine("c", "2.png"), new Rgba32(255, 40, 0, 255));
        DataFixtures.Png(dir.Combine("d", "1.png"), new Rgba32(0, 0, 255, 255));
        DataFixtures.Png(dir.Combine("d", "2.png"), new Rgba32(0, 40, 255, 255));
        DataFixtures.Png(dir.Combine("d", "3.png"), new Rgba32(255, 30, 0, 255));
        return dir.Path;
    }

    [Fact]
    public void ChanceAndRawPixelScoresMatchHandComputedValues()
    {
        using var dir = new TempDir();
        var data = DatasetCatalog.Default.Open(MakeFolder(dir), "folder");

        var report = DatasetBaselines.Compute(data);

        Assert.Equal(["chance", "pixels8", "pixels64"], report.Scores.Select(s => s.Key));
        Assert.Equal(5, report.Images);
        Assert.Equal(2, report.Classes);
        var chance = report.Find("chance")!;
        Assert.Equal(0.4, chance.RecallAt1, 9);
        Assert.Equal(0.7, chance.RecallAt2, 9);
        Assert.Equal(0.4, report.Find("pixels8")!.RecallAt1, 9);
        Assert.Equal(0.4, report.Find("pixels64")!.RecallAt1, 9);
        Assert.Equal("raw pixels 8×8", report.Find("pixels8")!.Name);
    }

    [Fact]
    public void TheReportIsCachedPerFingerprintAndAChangedImageIsComputedAgain()
    {
        using var dir = new TempDir();
        using var cache = new TempDir();
        var root = MakeFolder(dir);

        var first = DatasetBaselines.GetOrCompute(DatasetCatalog.Default.Open(root, "folder"), cache.Path);
        var again = DatasetBaselines.GetOrCompute(DatasetCatalog.Default.Open(root, "folder"), cache.Path);
        Assert.Equal(first.ComputedAt, again.ComputedAt); // read back, not computed again
        Assert.True(File.Exists(DatasetBaselines.CachePath(cache.Path, "folder", "test", first.Fingerprint)));

        // d3 becomes blue like its class: every query now finds its class first.
        DataFixtures.Png(dir.Combine("d", "3.png"), new Rgba32(0, 20, 255, 255), 9, 9);
        var changed = DatasetBaselines.GetOrCompute(DatasetCatalog.Default.Open(root, "folder"), cache.Path);
        Assert.NotEqual(first.Fingerprint, changed.Fingerprint);
        Assert.Equal(1.0, changed.Find("pixels8")!.RecallAt1, 9); // c1 ↔ c2 are the only reds; d1, d2, d3 are the blues
    }
}

public class EmbeddingSpreadTests
{
    [Fact]
    public void MeanPairwiseCosineOfThreeVectorsIsAThird()
    {
        // unit rows (1,0), (0,1), (1,0): pairs 0, 1, 0 → 1/3 (the third row's length does not matter)
        using var e = torch.tensor(new float[,] { { 1, 0 }, { 0, 1 }, { 2, 0 } });
        var spread = EmbeddingSpread.Of(e);
        Assert.Equal(1.0 / 3, spread.MeanPairwiseCosine, 6);
        Assert.False(spread.Collapsed);
    }

    [Fact]
    public void NearlyParallelRowsCountAsCollapsed()
    {
        // (1, 0) and (1, 0.1): cosine 1/√1.01 = 0.99504 > 0.95
        using var e = torch.tensor(new float[,] { { 1, 0 }, { 1, 0.1f } });
        var spread = EmbeddingSpread.Of(e);
        Assert.Equal(1 / Math.Sqrt(1.01), spread.MeanPairwiseCosine, 5);
        Assert.True(spread.Collapsed);
    }

    [Fact]
    public void OneRowIsAnErrorThatSaysSo()
    {
        using var e = torch.tensor(new float[,] { { 1, 0 } });
        var ex = Assert.Throws<ArgumentException>(() => EmbeddingSpread.Of(e));
        Assert.Contains("at least 2", ex.Message);
    }
}

public class QueryGalleryChanceTests
{
    [Fact]
    public void RecallOfARandomGalleryRankingMatchesHandComputedValues()
    {
        // gallery labels 0,0,1,2 (G = 4): a query of class 0 hits at rank 1 with p = 2/4, of class 1 with 1/4 → mean 3/8;
        // at K = 2: class 0: 1 − C(2,2)/C(4,2) = 5/6, class 1: 1 − C(3,2)/C(4,2) = 1/2 → 2/3
        var r = ChanceBaseline.QueryGalleryRecall([0, 1], [0, 0, 1, 2], [1, 2]);
        Assert.Equal(0.375, r["recall@1"], 9);
        Assert.Equal(2.0 / 3, r["recall@2"], 9);
    }
}

public class ZeroShotBaselineTests
{
    [Fact]
    public void ZeroShotIsTheNearestNeighbourRecallOfTheBareBackbonesFeaturesOnTheTestSplit()
    {
        using var dir = new TempDir();
        using var weights = new TempDir();
        var data = DatasetCatalog.Default.Open(DatasetBaselinesTests.MakeFolder(dir), "folder");
        var file = BackboneFiles.WriteSeeded(weights.Combine("vit.safetensors"), seed: 7);

        var score = ZeroShotBaseline.Compute(data, "vit_test_patch8_32", file, batchSize: 2);

        // by hand: leave-one-out nearest neighbour by cosine over the loaded backbone's class-token features of c1…d3
        var (_, test) = data.Evaluation;
        using var embedder = new VptSp.Core.Inference.BackboneEmbedder("vit_test_patch8_32", file);
        using var e = VptSp.Core.Inference.EmbeddingExtractor.Embed(embedder, test, 8, 1);
        var f = e.data<float>().ToArray();
        var (n, d) = (test.Count, (int)e.shape[1]);
        var labels = test.Labels();
        var hits = 0;
        for (var i = 0; i < n; i++)
        {
            var best = Enumerable.Range(0, n).Where(j => j != i)
                .MaxBy(j => Enumerable.Range(0, d).Sum(k => (double)f[i * d + k] * f[j * d + k]));
            if (labels[best] == labels[i]) hits++;
        }
        Assert.Equal("zeroshot", score.Key);
        Assert.Equal("zero-shot backbone", score.Name);
        Assert.Equal((double)hits / n, score.RecallAt1, 9);
        Assert.NotNull(score.MapAtR);
    }

    [Fact]
    public void TheZeroShotScoreIsCachedPerBackboneAndRecomputedWhenTheWeightsChange()
    {
        using var dir = new TempDir();
        using var weights = new TempDir();
        using var cache = new TempDir();
        var root = DatasetBaselinesTests.MakeFolder(dir);
        var file = BackboneFiles.WriteSeeded(weights.Combine("vit.safetensors"));

        var first = ZeroShotBaseline.GetOrCompute(DatasetCatalog.Default.Open(root, "folder"), "vit_test_patch8_32", file, cache.Path);
        var again = ZeroShotBaseline.GetOrCompute(DatasetCatalog.Default.Open(root, "folder"), "vit_test_patch8_32", file, cache.Path);
        Assert.Equal(first.ComputedAt, again.ComputedAt); // read back from the cache
        Assert.Equal("vit_test_patch8_32, vit.safetensors", first.Backbone);
        Assert.Single(Directory.GetFiles(cache.Path, "folder-test-*-zeroshot-*.json"));

        BackboneFiles.WriteSeeded(file, seed: 2); // other weights under the same name
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));
        var changed = ZeroShotBaseline.GetOrCompute(DatasetCatalog.Default.Open(root, "folder"), "vit_test_patch8_32", file, cache.Path);
        Assert.NotEqual(first.ComputedAt, changed.ComputedAt);
        Assert.Equal(2, Directory.GetFiles(cache.Path, "folder-test-*-zeroshot-*.json").Length);
    }
}

public class CpuFallbackNoticeTests
{
    [Fact]
    public void AskingForAGpuWithoutCudaSaysSoInOnePlainLine()
    {
        Assert.Equal("vptsp: --gpu 0 asked for a CUDA device but none is available; training on the CPU",
            VptSp.Core.Runtime.TorchRuntime.CpuFallbackNotice("0", cudaAvailable: false));
        Assert.Null(VptSp.Core.Runtime.TorchRuntime.CpuFallbackNotice("0", cudaAvailable: true));
        Assert.Null(VptSp.Core.Runtime.TorchRuntime.CpuFallbackNotice("cpu", cudaAvailable: false));
        Assert.Null(VptSp.Core.Runtime.TorchRuntime.CpuFallbackNotice(null, cudaAvailable: false));
    }
}

public class DatasetBaselinesOnRealEmojiTests(Xunit.Abstractions.ITestOutputHelper log)
{
    [SkippableFact]
    public void TheRealEmojiTestSplitGetsDemoFindingsBaselines()
    {
        var root = VptSp.Tests.Support.TestPaths.SkipUnlessRealEmoji();
        var data = new VptSp.Core.Data.Emoji.EmojiReader().Read(root, new DatasetReadOptions { VerifyImages = false });
        var report = DatasetBaselines.Compute(data);
        log.WriteLine(string.Join(" · ", report.Scores.Select(s => $"{s.Name} {100 * s.RecallAt1:F1}")) + $" ({report.Images} images)");
        // 477 classes × 2 vendors: one positive among 953 others → chance R@1 = 1/953; DEMO-FINDINGS: 8×8 28.9–31.7, 64×64 18.8–20.8
        Assert.Equal(1.0 / 953, report.Find("chance")!.RecallAt1, 9);
        Assert.InRange(100 * report.Find("pixels8")!.RecallAt1, 26.0, 35.0);
        Assert.InRange(100 * report.Find("pixels64")!.RecallAt1, 16.0, 24.0);
    }
}
