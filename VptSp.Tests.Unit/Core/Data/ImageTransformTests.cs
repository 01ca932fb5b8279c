using SixLabors.ImageSharp;
using VptSp.Core.Data.Images;

namespace VptSp.Tests.Core.Data;

public class ImageTransformTests
{
    private static readonly Normalization Half = new([0.5f, 0.5f, 0.5f], [0.5f, 0.25f, 0.5f]);

    /// <summary>An image whose pixel (x, y) is (x, y, 7).</summary>
    private static RgbImage Gradient(int w, int h)
    {
        var px = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var p = (y * w + x) * 3;
                (px[p], px[p + 1], px[p + 2]) = ((byte)x, (byte)y, 7);
            }
        return new RgbImage(w, h, px);
    }

    [Fact]
    public void NormalisedWriteIsChannelMajorWithMeanAndStdApplied()
    {
        var img = new RgbImage(2, 1, [255, 0, 51, 0, 255, 102]);
        var dst = new float[6];
        ImageOps.WriteNormalised(img, Half, flip: false, dst);
        // R: (1−.5)/.5 = 1, (0−.5)/.5 = −1; G: (0−.5)/.25 = −2, (1−.5)/.25 = 2; B: (.2−.5)/.5 = −.6, (.4−.5)/.5 = −.2
        Assert.Equal(new[] { 1f, -1f, -2f, 2f, -0.6f, -0.2f }, dst.Select(v => MathF.Round(v, 4)));
        ImageOps.WriteNormalised(img, Half, flip: true, dst);
        Assert.Equal(new[] { -1f, 1f, 2f, -2f, -0.2f, -0.6f }, dst.Select(v => MathF.Round(v, 4)));
    }

    [Fact]
    public void EvalTransformResizesShortSideThenCropsTheCentre()
    {
        // 8×16 portrait, size 4 → short side round(4·256/224) = 5 → 5×10, centre crop 4×4 at left 0 (round .5 → 0), top 3
        var t = new EvalTransform(4, Half);
        Assert.Equal(5, t.ResizeSize);
        Assert.Equal((5, 10), ImageOps.ShortSideSize(8, 16, 5));
        var prepared = t.Prepare(Gradient(8, 16));
        Assert.Equal((4, 4), (prepared.Width, prepared.Height));
        // no resize case: a 5×10 input is only cropped, so pixel (0,0) of the crop is source (0, 3)
        var exact = t.Prepare(Gradient(5, 10));
        Assert.Equal(new byte[] { 0, 3, 7 }, exact.Pixels[..3]);
        Assert.Equal(new byte[] { 3, 6, 7 }, exact.Pixels[^3..]);
    }

    [Fact]
    public void DefaultResizeIs256For224()
    {
        Assert.Equal(256, EvalTransform.DefaultResizeSize(224));
        Assert.Equal(73, EvalTransform.DefaultResizeSize(64));
    }

    [Fact]
    public void RandomResizedCropStaysInsideTheImageWithinScaleAndRatio()
    {
        var t = new TrainTransform(8, Half);
        var rng = new Random(5);
        for (var i = 0; i < 500; i++)
        {
            var r = t.SampleCrop(500, 375, rng);
            Assert.InRange(r.X, 0, 500 - r.Width);
            Assert.InRange(r.Y, 0, 375 - r.Height);
            var area = (double)r.Width * r.Height / (500 * 375);
            Assert.InRange(area, 0.07, 1.0);
            Assert.InRange((double)r.Width / r.Height, 0.74, 1.35);
        }
    }

    [Fact]
    public void RandomResizedCropFallsBackToCentreCropForExtremeAspect()
    {
        // 1000×10 can never fit a ratio ≤ 4/3 crop of the sampled area → centre crop 13×10 (round(10·4/3))
        var r = new TrainTransform(8, Half).SampleCrop(1000, 10, new Random(1));
        Assert.Equal(new Rectangle((1000 - 13) / 2, 0, 13, 10), r);
    }

    [Fact]
    public void TrainTransformIsDeterministicForTheSameGenerator()
    {
        var t = new TrainTransform(6, Half);
        var img = Gradient(20, 14);
        var a = new float[3 * 36];
        var b = new float[3 * 36];
        var c = new float[3 * 36];
        t.Apply(img, new Random(42), a);
        t.Apply(img, new Random(42), b);
        t.Apply(img, new Random(43), c);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }
}
