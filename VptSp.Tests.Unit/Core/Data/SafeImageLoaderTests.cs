using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;
using VptSp.Core.Data.Images;

namespace VptSp.Tests.Core.Data;

public class SafeImageLoaderTests
{
    [Fact]
    public void PngWithAlphaIsCompositedOntoWhite()
    {
        using var dir = new TempDir();
        // half-transparent pure red: R = 255·½ + 255·½ = 255, G = B = 0·(128/255) + 255·(127/255) = 127
        var path = DataFixtures.Png(dir.Combine("a.png"), new Rgba32(255, 0, 0, 128), 3, 2);
        var img = SafeImageLoader.Shared.LoadRgb(path);
        Assert.Equal(3, img.Width);
        Assert.Equal(2, img.Height);
        Assert.Equal(new byte[] { 255, 127, 127 }, img.Pixels[..3]);
        var clear = SafeImageLoader.Shared.LoadRgb(DataFixtures.Png(dir.Combine("b.png"), new Rgba32(10, 20, 30, 0)));
        Assert.Equal(new byte[] { 255, 255, 255 }, clear.Pixels[..3]);
    }

    [Fact]
    public void JpegDecodesToRgbOfItsSize()
    {
        using var dir = new TempDir();
        var img = SafeImageLoader.Shared.LoadRgb(DataFixtures.Jpeg(dir.Combine("a.jpg"), 20, 10));
        Assert.Equal((20, 10, 600), (img.Width, img.Height, img.Pixels.Length));
    }

    [Fact]
    public void HeaderClaimingHugeSizeIsRejectedBeforeDecoding()
    {
        using var dir = new TempDir();
        var path = DataFixtures.Png(dir.Combine("bomb.png"), new Rgba32(0, 0, 0, 255), 4, 4);
        var bytes = File.ReadAllBytes(path);
        // rewrite IHDR to 60000 × 60000 (3.6 G pixels) with a valid CRC
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), 60000);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), 60000);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(29), Crc32(bytes.AsSpan(12, 17)));
        var ex = Assert.Throws<ImageRejectedException>(() => SafeImageLoader.Shared.LoadRgb(bytes, "bomb.png"));
        Assert.Equal(ImageRejectionReason.TooManyPixels, ex.Reason);
        Assert.Contains("60000x60000", ex.Message);
    }

    [Fact]
    public void GifIsRejectedAsUnsupportedFormat()
    {
        using var dir = new TempDir();
        var path = dir.Combine("a.gif");
        using (var img = new Image<Rgba32>(4, 4)) img.Save(path, new GifEncoder());
        var ex = Assert.Throws<ImageRejectedException>(() => SafeImageLoader.Shared.LoadRgb(path));
        Assert.Equal(ImageRejectionReason.UnsupportedFormat, ex.Reason);
        Assert.Contains("GIF", ex.Message);
    }

    [Fact]
    public void TextFileIsRejectedAsNotAnImage()
    {
        using var dir = new TempDir();
        var ex = Assert.Throws<ImageRejectedException>(() => SafeImageLoader.Shared.LoadRgb(DataFixtures.Garbage(dir.Combine("x.jpg"))));
        Assert.Equal(ImageRejectionReason.NotAnImage, ex.Reason);
    }

    [Fact]
    public void CutShortPngIsRejectedAsTruncated()
    {
        using var dir = new TempDir();
        var path = DataFixtures.Jpeg(dir.Combine("a.jpg"), 64, 64, seed: 3);
        var bytes = File.ReadAllBytes(DataFixtures.Png(dir.Combine("a.png"), new Rgba32(1, 2, 3, 255), 64, 64));
        var ex = Assert.Throws<ImageRejectedException>(() => SafeImageLoader.Shared.LoadRgb(bytes[..(bytes.Length / 2)], "cut.png"));
        Assert.Equal(ImageRejectionReason.Truncated, ex.Reason);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void FileOverByteLimitIsRejectedAsTooLargeWithoutReadingIt()
    {
        using var dir = new TempDir();
        var path = DataFixtures.Jpeg(dir.Combine("a.jpg"), 32, 32);
        var loader = new SafeImageLoader(new SafeImageLoaderOptions { MaxBytes = 100 });
        var ex = Assert.Throws<ImageRejectedException>(() => loader.LoadRgb(path));
        Assert.Equal(ImageRejectionReason.TooLarge, ex.Reason);
    }

    [Fact]
    public void ProbeReportsSizeAndFormatFromTheHeader()
    {
        using var dir = new TempDir();
        var probe = SafeImageLoader.Shared.Probe(DataFixtures.Jpeg(dir.Combine("a.jpg"), 30, 17));
        Assert.Equal(new ImageProbe(30, 17, "JPEG"), probe);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}

public class SupportedFormatTests
{
    [Theory]
    [InlineData("bmp")]
    [InlineData("webp")]
    public void BmpAndWebpDecode(string ext)
    {
        using var dir = new TempDir();
        var path = dir.Combine("a." + ext);
        using (var img = new Image<Rgb24>(6, 4, new Rgb24(200, 100, 50)))
            img.Save(path, ext == "bmp" ? new SixLabors.ImageSharp.Formats.Bmp.BmpEncoder() : new SixLabors.ImageSharp.Formats.Webp.WebpEncoder { FileFormat = SixLabors.ImageSharp.Formats.Webp.WebpFileFormatType.Lossless });
        var rgb = SafeImageLoader.Shared.LoadRgb(path);
        Assert.Equal((6, 4), (rgb.Width, rgb.Height));
        Assert.Equal(new byte[] { 200, 100, 50 }, rgb.Pixels[..3]);
    }

    [Fact]
    public void UploadBytesBecomeAOneImageBatch()
    {
        using var dir = new TempDir();
        var bytes = File.ReadAllBytes(DataFixtures.Png(dir.Combine("u.png"), new Rgba32(255, 255, 255, 255), 40, 30));
        using var t = ImageTensors.FromBytes(bytes, new EvalTransform(16, new Normalization([0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f])));
        Assert.Equal(new long[] { 1, 3, 16, 16 }, t.shape);
        Assert.Equal(1f, t.max().item<float>(), 4); // white → (1 − .5)/.5
        Assert.Equal(1f, t.min().item<float>(), 4);
    }
}
