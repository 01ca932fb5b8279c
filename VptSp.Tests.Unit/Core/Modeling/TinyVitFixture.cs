using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using VptSp.Core.Modeling;
using VptSp.Tests.Support;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Modeling;

/// <summary>The PyTorch-made tiny_vit fixture: architecture, inputs and expected outputs.</summary>
internal static class TinyVitFixture
{
    public static string Dir => TestPaths.TinyVitDir;
    public static string Safetensors => Path.Combine(Dir, "tiny_vit.safetensors");
    public static string Pth => Path.Combine(Dir, "tiny_vit.pth");

    public static VitSpec Spec(int numClasses = 5) =>
        new("tiny_vit_fixture", 32, 8, 48, 2, 3, 4.0, VitPresets.HalfMean, VitPresets.HalfStd, NumClasses: numClasses);

    /// <summary>image0/1.png as a 2×3×32×32 batch: pixels/255 then (x − 0.5)/0.5.</summary>
    public static Tensor Images()
    {
        var data = new float[2 * 3 * 32 * 32];
        for (var n = 0; n < 2; n++)
        {
            using var img = Image.Load<Rgb24>(Path.Combine(Dir, $"image{n}.png"));
            Assert.Equal(32, img.Width);
            for (var y = 0; y < 32; y++)
            for (var x = 0; x < 32; x++)
            {
                var px = img[x, y];
                var rgb = new[] { px.R, px.G, px.B };
                for (var c = 0; c < 3; c++)
                    data[((n * 3 + c) * 32 + y) * 32 + x] = (rgb[c] / 255f - 0.5f) / 0.5f;
            }
        }
        return tensor(data, new long[] { 2, 3, 32, 32 });
    }

    public static float[][] Expected(string key)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "expected.json")));
        return doc.RootElement.GetProperty(key).EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
    }

    public static void AssertClose(float[][] expected, Tensor actual, double tol = 1e-4)
    {
        Assert.Equal(expected.Length, (int)actual.shape[0]);
        Assert.Equal(expected[0].Length, (int)actual.shape[1]);
        var got = actual.to(ScalarType.Float32).contiguous().data<float>().ToArray();
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        for (var j = 0; j < expected[i].Length; j++)
            worst = Math.Max(worst, Math.Abs(expected[i][j] - got[i * expected[i].Length + j]));
        Assert.True(worst <= tol, $"max abs difference {worst:G4} exceeds {tol:G4}");
    }
}
