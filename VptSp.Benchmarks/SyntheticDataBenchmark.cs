using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace VptSp.Benchmarks;

/// <summary>
/// Not a measurement: writes the small learnable image set the GPU check kit (scripts/gpu-check.sh) trains on, in the
/// `folder` layout (one PNG folder per class; the first half of the classes train, the second half test), the same
/// pattern as the tests' SyntheticDataset: each class a hue with a white square at a random place and pixel noise.
/// $VPTSP_SYNTH_DIR (required), $VPTSP_SYNTH_CLASSES (8), $VPTSP_SYNTH_IMAGES per class (8), 40 px.
/// </summary>
public sealed class SyntheticDataBenchmark : IBenchmark
{
    public string Name => "synthetic-data";
    public string Description => "writes the GPU check kit's tiny folder dataset to $VPTSP_SYNTH_DIR (no timing)";

    public void Run(TextWriter output)
    {
        var root = Environment.GetEnvironmentVariable("VPTSP_SYNTH_DIR");
        if (string.IsNullOrWhiteSpace(root))
        {
            output.WriteLine("RESULT synthetic-data FAIL set VPTSP_SYNTH_DIR");
            return;
        }
        var classes = EnvInt("VPTSP_SYNTH_CLASSES", 8);
        var perClass = EnvInt("VPTSP_SYNTH_IMAGES", 8);
        const int size = 40;
        var random = new Random(1);
        for (var c = 0; c < classes; c++)
        {
            var dir = Directory.CreateDirectory(Path.Combine(root, $"class_{c:D2}")).FullName;
            var (r, g, b) = Hue(c * 360.0 / classes);
            for (var i = 0; i < perClass; i++)
            {
                using var image = new Image<Rgb24>(size, size);
                var sx = random.Next(size / 2);
                var sy = random.Next(size / 2);
                for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                {
                    var inSquare = x >= sx && x < sx + size / 3 && y >= sy && y < sy + size / 3;
                    var n = random.Next(-25, 26);
                    image[x, y] = inSquare ? new Rgb24(255, 255, 255) : new Rgb24(Clamp(r + n), Clamp(g + n), Clamp(b + n));
                }
                image.SaveAsPng(Path.Combine(dir, $"img_{i}.png"));
            }
        }
        output.WriteLine($"RESULT synthetic-data PASS {classes} classes x {perClass} images in {root}");
    }

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;

    private static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);

    private static (int R, int G, int B) Hue(double degrees)
    {
        var h = degrees / 60.0;
        var x = (int)(200 * (1 - Math.Abs(h % 2 - 1)));
        return (int)h switch
        {
            0 => (200, x, 0), 1 => (x, 200, 0), 2 => (0, 200, x),
            3 => (0, x, 200), 4 => (x, 0, 200), _ => (200, 0, x),
        };
    }
}
