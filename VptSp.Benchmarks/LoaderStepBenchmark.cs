using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using VptSp.Core.Data;
using VptSp.Core.Data.Images;
using VptSp.Core.Data.Loading;
using VptSp.Core.Modeling;
using VptSp.Core.Training;
using static TorchSharp.torch;

namespace VptSp.Benchmarks;

/// <summary>
/// Does the data loader slow the model? The mixed-bf16 VPT step (ViT-S/16, batch 16, or $VPTSP_BENCH_VIT / $VPTSP_BENCH_BATCH)
/// fed by the train loader decoding 500×375 JPEGs (cache off) with 0, 1 and 2 workers (the config's <c>kernels</c>) and
/// prefetch depth 1 and 2, against the same step on a batch already in memory; wall time per step in steady state (the first
/// batch of each measurement is not counted), configurations interleaved over rounds, medians.
/// </summary>
public sealed class LoaderStepBenchmark : IBenchmark
{
    public string Name => "loader-step";
    public string Description => "train step time with the loader at kernels 0/1/2 and prefetch 1/2 vs no loader (decode/model contention)";

    public void Run(TextWriter output)
    {
        var spec = VitPresets.Get(Environment.GetEnvironmentVariable("VPTSP_BENCH_VIT") ?? "vit_small_patch16_224");
        var batch = int.TryParse(Environment.GetEnvironmentVariable("VPTSP_BENCH_BATCH"), out var bb) && bb > 0 ? bb : 16;
        const int rounds = 5, steps = 3;
        output.WriteLine($"load before: {PrecisionStepBenchmark.Load()}; cores {Environment.ProcessorCount}, torch threads {get_num_threads()}; " +
                         $"{spec.Name} mixed bf16, batch {batch}; {rounds} rounds of {steps} steps (first not counted)");
        var dir = Path.Combine(Path.GetTempPath(), "vptsp-bench-loader-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var split = MakeSplit(dir, classes: 16, perClass: 8);
            using var model = new MetricModel(ModelFactory.Options(new TrainingConfig
            {
                PretrainedModel = spec.Name, EmbedDim = 384, VitPrompt = true, NumPrompt = 10, PromptDepth = spec.Depth, Bf16 = Bf16Mode.On, Seed = 1,
            }, numClasses: 16));
            using var stepper = new ModelStepper(model, classesPerBatch: batch / 2, samplesPerClass: 2, numClasses: 16, seed: 3);
            var transform = new TrainTransform(spec.ImgSize, new Normalization(spec.Mean, spec.Std));
            var configs = new List<(string Name, Func<int, double> Run)> { ("no loader (batch in memory)", _ => NoLoader(stepper, steps)) };
            foreach (var (workers, prefetch) in new[] { (0, 1), (1, 1), (1, 2), (2, 1), (2, 2) })
            {
                var options = new LoaderOptions { BatchSize = batch, SamplesPerClass = 2, Seed = 0, Workers = workers, Prefetch = prefetch };
                var loader = new TrainLoader(split, transform, options, new DecodedImageCache(0));
                configs.Add((workers == 0 ? "kernels 0 (in the training thread)" : $"kernels {workers}, prefetch {prefetch}",
                    epoch => WithLoader(stepper, loader, epoch, steps)));
            }
            foreach (var c in configs) c.Run(0);   // warm-up
            var ms = configs.ToDictionary(c => c.Name, _ => new List<double>());
            for (var r = 0; r < rounds; r++)
                foreach (var c in configs)
                    ms[c.Name].Add(c.Run(r + 1));
            var baseline = PrecisionStepBenchmark.Median(ms[configs[0].Name]);
            output.WriteLine($"{"configuration",-36} {"ms/step",9} {"vs no loader",13}");
            foreach (var c in configs)
            {
                var m = PrecisionStepBenchmark.Median(ms[c.Name]);
                output.WriteLine($"{c.Name,-36} {m,9:F0} {m / baseline,12:F2}x");
            }
            output.WriteLine($"load after: {PrecisionStepBenchmark.Load()}");
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static double NoLoader(ModelStepper stepper, int steps)
    {
        stepper.Step();
        var sw = Stopwatch.StartNew();
        for (var i = 1; i < steps; i++) stepper.Step();
        return sw.Elapsed.TotalMilliseconds / (steps - 1);
    }

    /// <summary>Steps the model once per loaded batch (the batch's pixels replace the stepper's), timing all but the first.</summary>
    private static double WithLoader(ModelStepper stepper, TrainLoader loader, int epoch, int steps)
    {
        var sw = new Stopwatch();
        var n = 0;
        foreach (var b in loader.Epoch(epoch).Take(steps))
        {
            using (b)
            {
                stepper.LoadImages(b.Images);
                stepper.Step();
            }
            if (++n == 1) sw.Start();
        }
        sw.Stop();
        return sw.Elapsed.TotalMilliseconds / (steps - 1);
    }

    private static DatasetSplit MakeSplit(string dir, int classes, int perClass)
    {
        var groups = new List<(string, IReadOnlyList<string>)>();
        for (var c = 0; c < classes; c++)
        {
            var paths = new List<string>();
            for (var i = 0; i < perClass; i++)
            {
                var path = Path.Combine(dir, $"c{c}", $"{i}.jpg");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var rng = new Random(c * perClass + i);
                using var img = new Image<Rgb24>(500, 375);
                for (var y = 0; y < 375; y++)
                    for (var x = 0; x < 500; x++)
                        img[x, y] = new Rgb24((byte)((x + c * 7) % 256), (byte)((y * 2 + rng.Next(40)) % 256), (byte)((x + y + rng.Next(60)) % 256));
                img.Save(path, new JpegEncoder { Quality = 90 });
                paths.Add(path);
            }
            groups.Add(($"c{c}", paths));
        }
        return DatasetSplit.FromGroups("train", groups);
    }
}
