using SixLabors.ImageSharp;

namespace VptSp.Core.Data.Images;

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
