using TorchSharp;
using Xunit.Abstractions;
using SixLabors.ImageSharp.PixelFormats;
using VptSp.Core.Data;
using VptSp.Core.Data.Emoji;
using VptSp.Core.Data.Images;
using VptSp.Core.Runtime;

namespace VptSp.Tests.Core.Data;

public class RawPixelBaselineTests
{
    [Fact]
    public void AreaDownsampleAveragesTheCoveredPixels()
    {
        // 4×2 image → 2×1: left block (0,0),(1,0),(0,1),(1,1) has R = 0,40,80,120 → mean 60
        var px = new byte[4 * 2 * 3];
        for (var y = 0; y < 2; y++)
            for (var x = 0; x < 4; x++) px[(y * 4 + x) * 3] = (byte)(x * 40 + y * 80);
        var v = AreaResize.ToUnitFloats(new RgbImage(4, 2, px), 2, 1);
        Assert.Equal(60f / 255, v[0], 5);
        Assert.Equal((80 + 120 + 160 + 200) / 4f / 255, v[3], 5);
    }

    [Fact]
    public void EmbeddingsAreL2NormalisedFlatRgbRows()
    {
        using var dir = new TempDir();
        // opaque (255, 0, 0) → per pixel (1, 0, 0); 2×2 × 3 = 12 dims, 4 non-zero of 1 → each 1/2 after normalising
        var red = DataFixtures.Png(dir.Combine("r.png"), new Rgba32(255, 0, 0, 255), 16, 16);
        var clear = DataFixtures.Png(dir.Combine("w.png"), new Rgba32(0, 0, 0, 0), 16, 16); // white after compositing
        var e = RawPixelBaseline.Embed([red, clear], 2);
        Assert.Equal(12, e.GetLength(1));
        Assert.Equal(0.5f, e[0, 0], 5);
        Assert.Equal(0f, e[0, 1], 5);
        Assert.Equal(1f / MathF.Sqrt(12), e[1, 5], 5);
    }

    [Fact]
    public void TensorVersionHasOneRowPerSample()
    {
        using var dir = new TempDir();
        EmojiFixture.Make(dir);
        var test = DatasetCatalog.Default.Open(dir.Path, "emoji").Split("test");
        using var t = RawPixelBaseline.EmbedTensor(test, 8);
        Assert.Equal(new long[] { 4, 192 }, t.shape);
        using var norms = t.norm(1);
        Assert.All(norms.data<float>().ToArray(), n => Assert.Equal(1f, n, 4));
    }
}

public class RawPixelBaselineOnRealEmojiTests(ITestOutputHelper log)
{
    /// <summary>Recall@1 by cosine nearest neighbour, the query itself excluded (test-local, not the product metric).</summary>
    private static double RecallAt1(TorchSharp.torch.Tensor e, int[] labels)
    {
        using var sim = e.mm(e.t());
        using var selfPenalty = (-10f).ToScalar();
        using var self = TorchSharp.torch.eye(e.shape[0]).mul(selfPenalty);
        using var masked = sim.Plus(self);
        using var nearest = masked.argmax(1);
        var nn = nearest.data<long>().ToArray();
        return 100.0 * Enumerable.Range(0, labels.Length).Count(q => labels[nn[q]] == labels[q]) / labels.Length;
    }

    [SkippableFact]
    public void RawPixelRecallOnRealEmojiTestSplitMatchesDemoFindings()
    {
        var root = Support.TestPaths.SkipUnlessRealEmoji();
        var test = new EmojiReader().Read(root, new DatasetReadOptions { VerifyImages = false }).Split("test");
        var labels = test.Labels();
        using var e8 = RawPixelBaseline.EmbedTensor(test, 8);
        using var e64 = RawPixelBaseline.EmbedTensor(test, 64);
        var (r8, r64) = (RecallAt1(e8, labels), RecallAt1(e64, labels));
        log.WriteLine($"raw pixels R@1: 8x8 {r8:F1}, 64x64 {r64:F1} ({test.Count} images, {test.ClassCount} classes)");
        // DEMO-FINDINGS protocol A: 8×8 R@1 28.9–31.7, 64×64 18.8–20.8
        Assert.InRange(r8, 26.0, 35.0);
        Assert.InRange(r64, 16.0, 24.0);
    }
}
