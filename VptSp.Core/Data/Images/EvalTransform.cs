using SixLabors.ImageSharp;

namespace VptSp.Core.Data.Images;

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
