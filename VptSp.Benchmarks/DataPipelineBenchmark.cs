using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using VptSp.Core.Data;
using VptSp.Core.Data.Images;
using VptSp.Core.Data.Loading;

namespace VptSp.Benchmarks;

/// <summary>
/// Training-pipeline throughput (decode + RandomResizedCrop from the original-resolution image + flip + normalise
/// + tensor): 500×375 JPEG at 224 px and 64×64 RGBA PNG at 64 px, cold (decoded every time) and cached (originals
/// kept in memory), on 1 worker and on all cores.
/// </summary>
public sealed class DataPipelineBenchmark : IBenchmark
{
    public string Name => "data";
    public string Description => "images/s of the train loader: 500×375 JPEG @224 and 64×64 PNG @64, cold vs cached, per core";

    public void Run(TextWriter output)
    {
        var dir = Path.Combine(Path.GetTempPath(), "vptsp-bench-data-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var jpeg = MakeSplit(dir, "jpeg", classes: 32, perClass: 4, (path, seed) => WriteJpeg(path, seed));
            var png = MakeSplit(dir, "png", classes: 64, perClass: 8, (path, seed) => WritePng(path, seed));
            var norm = new Normalization([0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]);
            var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
            output.WriteLine($"cores {Environment.ProcessorCount}, load average {load} (above the core count the loader rows are lower bounds; " +
                             "the single-thread stage costs below are medians and more stable); batch 32 (8 classes × 4); images/s over one epoch");
            output.WriteLine($"{"input",-22} {"workers",7} {"cold",10} {"cached",10} {"cached/cold",12}");
            foreach (var (label, split, size) in new[] { ("500×375 JPEG → 224", jpeg, 224), ("64×64 PNG → 64", png, 64) })
            {
                Measure(split, size, norm, Environment.ProcessorCount, budget: 0); // warm-up (JIT, file cache)
                foreach (var workers in new[] { 1, Environment.ProcessorCount }.Distinct())
                {
                    var cold = Measure(split, size, norm, workers, budget: 0);
                    var cached = Measure(split, size, norm, workers, budget: 1L << 30);
                    output.WriteLine($"{label,-22} {workers,7} {cold,10:F0} {cached,10:F0} {cached / cold,11:F1}x");
                }
            }
            Stages(output, jpeg.Samples[0].Path, 224, norm);
            output.WriteLine("model for comparison (DEMO-FINDINGS, 2 threads): 64 px ViT train step 178–218 img/s bf16, inference ≈ 600 img/s");
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Single-thread cost of each stage for one JPEG (median of 9 runs of 10 images' worth).</summary>
    private static void Stages(TextWriter output, string jpegPath, int size, Normalization norm)
    {
        var loader = SafeImageLoader.Shared;
        var bytes = File.ReadAllBytes(jpegPath);
        var decoded = loader.LoadRgb(bytes);
        var prepared = ImageOps.ResizeShortSide(decoded, EvalTransform.DefaultResizeSize(size));
        var train = new TrainTransform(size, norm);
        var dest = new float[3 * size * size];
        var random = new Random(1);
        double Ms(Action a) => BenchmarkRunner.MedianMs(() => { for (var i = 0; i < 10; i++) a(); }, repeats: 9) / 10;
        var decode = Ms(() => loader.LoadRgb(bytes));
        var resize = Ms(() => ImageOps.ResizeShortSide(decoded, EvalTransform.DefaultResizeSize(size)));
        var crop = Ms(() => ImageOps.CropResize(prepared, train.SampleCrop(prepared.Width, prepared.Height, random), size, size));
        var cropOriginal = Ms(() => ImageOps.CropResize(decoded, train.SampleCrop(decoded.Width, decoded.Height, random), size, size));
        var cropped = ImageOps.CropResize(prepared, train.SampleCrop(prepared.Width, prepared.Height, random), size, size);
        var write = Ms(() => ImageOps.WriteNormalised(cropped, norm, true, dest));
        var batch = new float[32 * 3 * size * size];
        var toTensor = BenchmarkRunner.MedianMs(() =>
        {
            using var t = TorchSharp.torch.empty(new long[] { 32, 3, size, size });
            using var access = t.data<float>();
            access.CopyFrom((ReadOnlySpan<float>)batch, 0, 0);
        }, repeats: 5) / 32;
        var viaTensor = BenchmarkRunner.MedianMs(() => { using var t = TorchSharp.torch.tensor(batch, new long[] { 32, 3, size, size }); }, repeats: 5) / 32;
        output.WriteLine($"batch → tensor, ms/image: accessor copy {toTensor:F3} | torch.tensor(float[]) {viaTensor:F3}");
        output.WriteLine($"stages, one core, ms/image: decode 500×375 JPEG {decode:F2} | resize to short side {EvalTransform.DefaultResizeSize(size)} {resize:F2} | " +
                         $"random crop + resize {size}: from the original (what training does) {cropOriginal:F2}, from the {EvalTransform.DefaultResizeSize(size)}-px image (before issue 14) {crop:F2} | normalise {write:F2}");
    }

    private static double Measure(DatasetSplit split, int size, Normalization norm, int workers, long budget)
    {
        var cache = new DecodedImageCache(budget);
        var loader = new TrainLoader(split, new TrainTransform(size, norm),
            new LoaderOptions { BatchSize = 32, SamplesPerClass = 4, Seed = 0, Workers = workers, Prefetch = 2 }, cache);
        if (budget > 0) Drain(loader, -1); // fill the cache first
        var sw = Stopwatch.StartNew();
        var images = Drain(loader, 0);
        return images / sw.Elapsed.TotalSeconds;
    }

    private static int Drain(TrainLoader loader, int epoch)
    {
        var n = 0;
        foreach (var b in loader.Epoch(epoch)) using (b) n += b.Count;
        return n;
    }

    private static DatasetSplit MakeSplit(string dir, string kind, int classes, int perClass, Action<string, int> write)
    {
        var groups = new List<(string, IReadOnlyList<string>)>();
        for (var c = 0; c < classes; c++)
        {
            var paths = new List<string>();
            for (var i = 0; i < perClass; i++)
            {
                var path = Path.Combine(dir, kind, $"c{c}", $"{i}.{kind[..3]}");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                write(path, c * perClass + i);
                paths.Add(path);
            }
            groups.Add(($"c{c}", paths));
        }
        return DatasetSplit.FromGroups("train", groups);
    }

    /// <summary>A photo-like 500×375 JPEG: smooth gradients plus noise (quality 90, ≈ 60–100 kB).</summary>
    private static void WriteJpeg(string path, int seed)
    {
        var rng = new Random(seed);
        using var img = new Image<Rgb24>(500, 375);
        for (var y = 0; y < 375; y++)
            for (var x = 0; x < 500; x++)
                img[x, y] = new Rgb24((byte)((x + seed * 7) % 256), (byte)((y * 2 + rng.Next(40)) % 256), (byte)((x + y + rng.Next(60)) % 256));
        img.Save(path, new JpegEncoder { Quality = 90 });
    }

    /// <summary>An emoji-like 64×64 RGBA PNG: a filled disc on a transparent background.</summary>
    private static void WritePng(string path, int seed)
    {
        using var img = new Image<Rgba32>(64, 64);
        for (var y = 0; y < 64; y++)
            for (var x = 0; x < 64; x++)
            {
                var inside = (x - 32) * (x - 32) + (y - 32) * (y - 32) < 28 * 28;
                img[x, y] = inside ? new Rgba32((byte)(seed * 13), (byte)(x * 4), (byte)(y * 4), 255) : new Rgba32(0, 0, 0, 0);
            }
        img.Save(path, new PngEncoder());
    }
}
