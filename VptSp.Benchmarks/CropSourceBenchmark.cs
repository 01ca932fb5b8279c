using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using VptSp.Core.Data.Images;

namespace VptSp.Benchmarks;

/// <summary>
/// What cropping training images from the original resolution (issue 14) costs against the old path, which shrank every
/// image to a 256-px short side first. A and B are measured alternately in one process (medians of interleaved rounds), so
/// machine load affects both alike. Per image, one core: cold = decode + (resize to 256) + random crop/resize to 224;
/// cached = the crop alone (the cache holds the decoded image, original or shrunk); plus the bytes one cached image takes.
/// </summary>
public sealed class CropSourceBenchmark : IBenchmark
{
    public string Name => "crop-source";
    public string Description => "train crop from the original image vs from a 256-px shrunk copy: ms/image cold and cached, cache bytes";

    public void Run(TextWriter output)
    {
        var norm = new Normalization([0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]);
        var train = new TrainTransform(224, norm);
        output.WriteLine($"{"image",-16} {"cold before",12} {"cold after",11} {"cached before",14} {"cached after",13} {"cache kB before",16} {"after",7}");
        foreach (var (w, h) in new[] { (500, 375), (1000, 750) })
        {
            var bytes = Jpeg(w, h);
            var loader = SafeImageLoader.Shared;
            var original = loader.LoadRgb(bytes);
            var shrunk = ImageOps.ResizeShortSide(original, 256);
            var dest = new float[3 * 224 * 224];
            var rng = new Random(1);
            void CropFrom(RgbImage img) => train.Apply(img, rng, dest);
            var rounds = new List<double[]>();
            for (var round = 0; round < 7; round++)
            {
                rounds.Add(
                [
                    Ms(() => CropFrom(ImageOps.ResizeShortSide(loader.LoadRgb(bytes), 256))), // cold before
                    Ms(() => CropFrom(loader.LoadRgb(bytes))),                                // cold after
                    Ms(() => CropFrom(shrunk)),                                               // cached before
                    Ms(() => CropFrom(original)),                                             // cached after
                ]);
            }
            double Median(int i) => rounds.Select(r => r[i]).OrderBy(v => v).ElementAt(rounds.Count / 2);
            output.WriteLine($"{$"{w}×{h} JPEG",-16} {Median(0),12:F2} {Median(1),11:F2} {Median(2),14:F2} {Median(3),13:F2} " +
                             $"{shrunk.SizeInBytes / 1024.0,16:F0} {original.SizeInBytes / 1024.0,7:F0}");
        }
        output.WriteLine("(ms/image incl. normalise; 'before' = the pre-issue-14 path that shrank to 256 first; a cache budget holds budget/bytes images)");
    }

    private static double Ms(Action a) => BenchmarkRunner.MedianMs(() => { for (var i = 0; i < 10; i++) a(); }, repeats: 3, warmup: 1) / 10;

    private static byte[] Jpeg(int width, int height)
    {
        var rng = new Random(3);
        using var img = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                img[x, y] = new Rgb24((byte)(x % 256), (byte)((y * 2 + rng.Next(40)) % 256), (byte)((x + y + rng.Next(60)) % 256));
        using var ms = new MemoryStream();
        img.Save(ms, new JpegEncoder { Quality = 90 });
        return ms.ToArray();
    }
}
