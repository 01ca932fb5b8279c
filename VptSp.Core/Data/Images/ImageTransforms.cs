using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace VptSp.Core.Data.Images;

/// <summary>
/// Turns an RGB image into a normalised CHW float block of <see cref="Size"/> × <see cref="Size"/>.
/// Implementations are stateless and thread-safe: all randomness comes from the <see cref="Random"/> passed in.
/// </summary>
public interface IImageTransform
{
    int Size { get; }
    Normalization Normalization { get; }

    /// <summary>Writes 3·Size·Size floats (channel-major) into <paramref name="destination"/>.</summary>
    void Apply(RgbImage image, Random random, Span<float> destination);
}

/// <summary>Shared pieces: crop-and-resize through ImageSharp (bilinear with antialiasing, like PIL) and the normalised write.</summary>
public static class ImageOps
{
    /// <summary>The crop (x, y, w, h) of <paramref name="image"/> resized to width × height.</summary>
    public static RgbImage CropResize(RgbImage image, Rectangle crop, int width, int height)
    {
        if (crop.X == 0 && crop.Y == 0 && crop.Width == image.Width && crop.Height == image.Height
            && width == image.Width && height == image.Height)
            return image;
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
            ? (shortSide, (int)((long)shortSide * height / width))
            : ((int)((long)shortSide * width / height), shortSide);

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

/// <summary>Training: RandomResizedCrop(size, scale 0.08–1, ratio 3/4–4/3) then horizontal flip with p = 0.5 (torchvision's algorithm).</summary>
public sealed class TrainTransform(int size, Normalization normalization,
                                   double minScale = 0.08, double maxScale = 1.0,
                                   double minRatio = 3.0 / 4.0, double maxRatio = 4.0 / 3.0) : IImageTransform
{
    public int Size { get; } = size > 0 ? size : throw new ArgumentOutOfRangeException(nameof(size));
    public Normalization Normalization { get; } = normalization;

    public void Apply(RgbImage image, Random random, Span<float> destination)
    {
        var crop = SampleCrop(image.Width, image.Height, random);
        var flip = random.NextDouble() < 0.5;
        ImageOps.WriteNormalised(ImageOps.CropResize(image, crop, Size, Size), Normalization, flip, destination);
    }

    /// <summary>torchvision RandomResizedCrop.get_params: 10 tries of (area, log-uniform ratio), else a centre crop within the ratio range.</summary>
    public Rectangle SampleCrop(int width, int height, Random random)
    {
        double area = (double)width * height;
        double logMin = Math.Log(minRatio), logMax = Math.Log(maxRatio);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var targetArea = area * (minScale + random.NextDouble() * (maxScale - minScale));
            var aspect = Math.Exp(logMin + random.NextDouble() * (logMax - logMin));
            var w = (int)Math.Round(Math.Sqrt(targetArea * aspect));
            var h = (int)Math.Round(Math.Sqrt(targetArea / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height)
                return new Rectangle(random.Next(width - w + 1), random.Next(height - h + 1), w, h);
        }
        var inRatio = (double)width / height;
        int cw, ch;
        if (inRatio < minRatio) { cw = width; ch = (int)Math.Round(cw / minRatio); }
        else if (inRatio > maxRatio) { ch = height; cw = (int)Math.Round(ch * maxRatio); }
        else { cw = width; ch = height; }
        return new Rectangle((width - cw) / 2, (height - ch) / 2, cw, ch);
    }
}

/// <summary>Evaluation: Resize(short side = round(size·256/224)) then CenterCrop(size); deterministic.</summary>
public sealed class EvalTransform(int size, Normalization normalization, int? resizeSize = null) : IImageTransform
{
    public int Size { get; } = size > 0 ? size : throw new ArgumentOutOfRangeException(nameof(size));
    public Normalization Normalization { get; } = normalization;

    /// <summary>The short side before the centre crop (256 for 224).</summary>
    public int ResizeSize { get; } = resizeSize ?? DefaultResizeSize(size);

    public static int DefaultResizeSize(int size) => (int)Math.Round(size * 256.0 / 224.0);

    public void Apply(RgbImage image, Random random, Span<float> destination) =>
        ImageOps.WriteNormalised(Prepare(image), Normalization, flip: false, destination);

    /// <summary>The resized, centre-cropped RGB image (before normalisation).</summary>
    public RgbImage Prepare(RgbImage image)
    {
        var (w, h) = ImageOps.ShortSideSize(image.Width, image.Height, ResizeSize);
        var top = (int)Math.Round((h - Size) / 2.0);
        var left = (int)Math.Round((w - Size) / 2.0);
        var resized = (w, h) == (image.Width, image.Height) ? image : ImageOps.CropResize(image, new Rectangle(0, 0, image.Width, image.Height), w, h);
        if (w < Size || h < Size) throw new ArgumentException($"resize size {ResizeSize} is smaller than the crop {Size}");
        return ImageOps.CropResize(resized, new Rectangle(left, top, Size, Size), Size, Size);
    }
}
