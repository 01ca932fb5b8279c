using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace VptSp.Core.Data.Images;

/// <summary>Shared pieces: crop-and-resize through ImageSharp (bilinear with antialiasing, like PIL) and the normalised write.</summary>
public static class ImageOps
{
    /// <summary>The crop (x, y, w, h) of <paramref name="image"/> resized to width × height.</summary>
    public static RgbImage CropResize(RgbImage image, Rectangle crop, int width, int height)
    {
        if (crop.X == 0 && crop.Y == 0 && crop.Width == image.Width && crop.Height == image.Height
            && width == image.Width && height == image.Height)
            return image;
        // The loader refuses extreme shapes from the header; this guards images that reached here another way.
        if (width <= 0 || height <= 0 || (long)width * height > SafeImageLoader.Shared.Options.MaxPixels)
            throw new ImageRejectedException(ImageRejectionReason.ExtremeAspectRatio,
                $"resizing a {image.Width}x{image.Height} image to {width}x{height} exceeds the {SafeImageLoader.Shared.Options.MaxPixels:N0}-pixel limit");
        using var img = Image.LoadPixelData<Rgb24>(SafeImageLoader.Shared.Configuration, image.Pixels, image.Width, image.Height);
        img.Mutate(ctx =>
        {
            if (crop.Width != image.Width || crop.Height != image.Height) ctx.Crop(crop);
            if (crop.Width != width || crop.Height != height) ctx.Resize(width, height, KnownResamplers.Triangle);
        });
        var pixels = new byte[width * height * 3];
        img.CopyPixelDataTo(pixels);
        return new RgbImage(width, height, pixels);
    }

    /// <summary>Resizes so the short side is <paramref name="shortSide"/>, the long side int(shortSide·long/short) (torchvision's Resize(int)).</summary>
    public static RgbImage ResizeShortSide(RgbImage image, int shortSide)
    {
        var (w, h) = ShortSideSize(image.Width, image.Height, shortSide);
        return CropResize(image, new Rectangle(0, 0, image.Width, image.Height), w, h);
    }

    public static (int Width, int Height) ShortSideSize(int width, int height, int shortSide) =>
        width <= height
            ? (shortSide, (int)Math.Min(int.MaxValue, (long)shortSide * height / width))
            : ((int)Math.Min(int.MaxValue, (long)shortSide * width / height), shortSide);

    /// <summary>(pixel/255 − mean)/std into CHW order, mirrored left-right when <paramref name="flip"/>.</summary>
    public static void WriteNormalised(RgbImage image, Normalization norm, bool flip, Span<float> destination)
    {
        int w = image.Width, h = image.Height, plane = w * h;
        if (destination.Length < 3 * plane) throw new ArgumentException($"destination holds {destination.Length} floats, {3 * plane} needed");
        var px = image.Pixels;
        Span<float> scale = stackalloc float[3];
        Span<float> shift = stackalloc float[3];
        for (var c = 0; c < 3; c++)
        {
            scale[c] = 1f / (255f * norm.Std[c]);
            shift[c] = norm.Mean[c] / norm.Std[c];
        }
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var sx = flip ? w - 1 - x : x;
                var p = (y * w + sx) * 3;
                var o = y * w + x;
                destination[o] = px[p] * scale[0] - shift[0];
                destination[plane + o] = px[p + 1] * scale[1] - shift[1];
                destination[2 * plane + o] = px[p + 2] * scale[2] - shift[2];
            }
        }
    }
}
