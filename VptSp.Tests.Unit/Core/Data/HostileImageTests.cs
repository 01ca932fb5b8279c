using VptSp.Core.Data.Images;
using VptSp.Core.Inference;
using VptSp.Core.Modeling;
using VptSp.Tests.Core.Modeling;
using VptSp.Tests.Support;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Data;

/// <summary>Extreme shapes are refused from the header; unusual but valid encodings decode to the pixels they hold.</summary>
public sealed class HostileImageTests
{
    [Theory]
    [InlineData(1, 200_000)]
    [InlineData(200_000, 1)]
    public void AnExtremeAspectRatioIsRefusedFromTheHeaderBeforeAnyPixelBufferIsAllocated(int width, int height)
    {
        var bytes = HostileImages.Png(width, height);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ImageRejectedException>(() => SafeImageLoader.Shared.LoadRgb(bytes, "strip.png"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(ImageRejectionReason.ExtremeAspectRatio, ex.Reason);
        Assert.Contains($"{width}x{height}", ex.Message);
        Assert.Contains("32:1", ex.Message);
        // Decoding would need 200,000 × 4 bytes; resizing its short side to 256, 256 × 51,200,000 × 3.
        Assert.True(allocated < 400_000, $"refusing allocated {allocated:N0} bytes");
        Assert.Equal(ImageRejectionReason.ExtremeAspectRatio,
            Assert.Throws<ImageRejectedException>(() => SafeImageLoader.Shared.Probe(bytes, "strip.png")).Reason);
    }

    [Theory]
    [InlineData(4, 128)]
    [InlineData(128, 4)]
    public void AnImageAtTheAspectLimitIsAcceptedAndItsEvalResizeStaysSmall(int width, int height)
    {
        var image = SafeImageLoader.Shared.LoadRgb(HostileImages.Png(width, height));
        Assert.Equal((width, height), (image.Width, image.Height));
        var eval = new EvalTransform(224, new Normalization([0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]));
        var prepared = eval.Prepare(image); // short side 256 → 256 × 8,192 before the crop
        Assert.Equal((224, 224), (prepared.Width, prepared.Height));
        // one pixel longer is past the limit
        var beyond = width > height ? HostileImages.Png(129, 4) : HostileImages.Png(4, 129);
        Assert.Equal(ImageRejectionReason.ExtremeAspectRatio, Assert.Throws<ImageRejectedException>(() => SafeImageLoader.Shared.LoadRgb(beyond)).Reason);
    }

    [Fact]
    public void AResizeBeyondThePixelLimitIsRefusedEvenForAnImageThatBypassedTheLoader()
    {
        var strip = new RgbImage(1, 5000, new byte[5000 * 3]);
        var ex = Assert.Throws<ImageRejectedException>(() => ImageOps.ResizeShortSide(strip, 256)); // 256 × 1,280,000
        Assert.Equal(ImageRejectionReason.ExtremeAspectRatio, ex.Reason);
    }

    [Fact]
    public void TheLoaderRefusesAnAspectLimitBelowOne() =>
        Assert.Throws<ArgumentException>(() => new SafeImageLoader(new SafeImageLoaderOptions { MaxAspectRatio = 0.5 }));

    public static TheoryData<string> Accepted => new(HostileImages.AcceptedPairs().Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Accepted))]
    public void AnUnusualEncodingDecodesToThePixelsOfItsPlainRgbEquivalent(string name)
    {
        var (_, image, plain) = HostileImages.Accepted(name);
        var a = SafeImageLoader.Shared.LoadRgb(image, name);
        var b = SafeImageLoader.Shared.LoadRgb(plain, name + " (plain)");
        Assert.Equal((b.Width, b.Height), (a.Width, a.Height));
        var worst = a.Pixels.Zip(b.Pixels, (x, y) => Math.Abs(x - y)).Max();
        var mean = a.Pixels.Zip(b.Pixels, (x, y) => (double)Math.Abs(x - y)).Average();
        // Lossless formats give the same bytes. The JPEG equivalents were decoded by PIL (libjpeg), so ImageSharp may
        // differ by IDCT rounding and, for 4:2:0 chroma (the progressive file), by its chroma upsampling at the
        // pattern's sharp blue edges (measured: mean 3.7, max 36). A wrong colour transform (inverted CMYK, swapped
        // channels) gives a mean above 50.
        var lossless = name.Contains("png", StringComparison.Ordinal);
        Assert.True(lossless ? worst == 0 : mean < 5.0 && worst <= 48, $"{name}: mean |Δ| {mean:F3}, max {worst}");
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void AnUnusualEncodingEmbedsLikeItsPlainRgbEquivalentWithinOneThousandthCosine(string name)
    {
        var (_, image, plain) = HostileImages.Accepted(name);
        using var model = new MetricModel(TinyModels.Options("vptsp_g"));
        model.eval();
        var transform = EmbeddingExtractor.EvalTransformFor(model.Preprocessing);
        var a = Embed(model, image, transform);
        var b = Embed(model, plain, transform);
        var cosine = a.Zip(b, (x, y) => (double)x * y).Sum() / Math.Sqrt(a.Sum(x => (double)x * x) * b.Sum(x => (double)x * x));
        Assert.True(cosine >= 1 - 1e-3, $"{name}: cosine {cosine:F6}");
    }

    [Fact]
    public void ExifOrientationIsIgnoredAsPilImageOpenIgnoresIt()
    {
        var (_, rotated, same) = HostileImages.Accepted("exif-rotated-jpeg");
        var a = SafeImageLoader.Shared.LoadRgb(rotated);
        var b = SafeImageLoader.Shared.LoadRgb(same);
        Assert.Equal((48, 40), (a.Width, a.Height)); // stored shape; honouring orientation 6 would give 40 × 48
        Assert.Equal(b.Pixels, a.Pixels);
    }

    private static float[] Embed(MetricModel model, byte[] bytes, IImageTransform transform)
    {
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var batch = ImageTensors.FromBytes(bytes, transform);
        return model.Embed(batch).data<float>().ToArray();
    }
}
