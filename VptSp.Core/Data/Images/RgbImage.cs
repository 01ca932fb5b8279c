namespace VptSp.Core.Data.Images;

/// <summary>An 8-bit RGB image in row-major HWC order: what the cache keeps and the transforms read.</summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] pixels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}x{height}");
        if (pixels.Length != width * height * 3)
            throw new ArgumentException($"expected {width * height * 3} bytes for {width}x{height} RGB, got {pixels.Length}");
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>R, G, B bytes, row after row.</summary>
    public byte[] Pixels { get; }

    public long SizeInBytes => Pixels.LongLength;
}
