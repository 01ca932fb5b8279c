using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using VptSp.Core.Export;
using VptSp.Core.Modeling;
using VptSp.Core.Training;
using VptSp.Core.Runtime;
using static TorchSharp.torch;

namespace VptSp.Benchmarks;

/// <summary>
/// The exported ONNX model under ONNX Runtime (CPU, as many intra-op threads as TorchSharp uses) against VptSp's own inference
/// forward on the demo ViT (vit_demo_patch8_64, a VPT run with seeded weights: timing only): single-query latency p50/p95 and
/// batch-32 throughput, the two engines interleaved round by round so the shared machine's load hits both alike.
/// </summary>
public sealed class OnnxRuntimeBenchmark : IBenchmark
{
    public string Name => "onnx-runtime";
    public string Description => "ONNX Runtime vs TorchSharp embedding: single-query p50/p95 and batch-32 throughput (demo ViT)";

    public void Run(TextWriter output)
    {
        var root = Directory.CreateTempSubdirectory("vptsp-bench-onnx-").FullName;
        try
        {
            var options = ModelFactory.Options(new TrainingConfig
            {
                PretrainedModel = "vit_demo_patch8_64", EmbedDim = 128, VitPrompt = true, NumPrompt = 10, PromptDepth = 6, Seed = 1,
            }, numClasses: 100);
            var run = new RunDirectory(Path.Combine(root, "run"));
            run.Create();
            using (var fresh = new MetricModel(options)) RunDirectory.ReplaceDirectory(run.ArtefactsDir, fresh.SaveArtefact);
            var onnxPath = Path.Combine(root, "model.onnx");
            OnnxExporter.ExportRun(run.Path, onnxPath);
            using var model = Core.Inference.RunModelLoader.Load(run.Path);
            using var sessionOptions = new SessionOptions { IntraOpNumThreads = get_num_threads(), InterOpNumThreads = 1 };
            using var ort = new OnnxEmbedder(onnxPath, sessionOptions);
            var s = model.Spec.ImgSize;
            output.WriteLine($"threads {get_num_threads()}, input {s}×{s}, model.onnx {new FileInfo(onnxPath).Length / 1024.0 / 1024.0:F1} MiB");

            const int rounds = 60, batchRounds = 8, batch = 32;
            var gen = new Generator(7);
            using var one = randn(new long[] { 1, 3, s, s }, generator: gen);
            using var many = randn(new long[] { batch, 3, s, s }, generator: gen);
            var onePixels = one.data<float>().ToArray();
            var manyPixels = many.data<float>().ToArray();
            double Torch(Tensor x) => Time(() => { using var e = model.Embed(x); _ = e.data<float>()[0]; });
            double Ort(float[] x, int b) => Time(() => ort.Run(x, b));
            for (var w = 0; w < 3; w++) { Torch(one); Ort(onePixels, 1); Torch(many); Ort(manyPixels, batch); }

            var torchOne = new double[rounds];
            var ortOne = new double[rounds];
            for (var r = 0; r < rounds; r++)
            {
                // alternate which engine goes first
                if (r % 2 == 0) { torchOne[r] = Torch(one); ortOne[r] = Ort(onePixels, 1); }
                else { ortOne[r] = Ort(onePixels, 1); torchOne[r] = Torch(one); }
            }
            var torchMany = new double[batchRounds];
            var ortMany = new double[batchRounds];
            for (var r = 0; r < batchRounds; r++)
            {
                if (r % 2 == 0) { torchMany[r] = Torch(many); ortMany[r] = Ort(manyPixels, batch); }
                else { ortMany[r] = Ort(manyPixels, batch); torchMany[r] = Torch(many); }
            }
            using var te = model.Embed(one);
            var gap = te.data<float>().ToArray().Zip(ort.Run(onePixels, 1)).Max(p => Math.Abs(p.First - p.Second));
            output.WriteLine($"single query  TorchSharp p50 {Pct(torchOne, 0.5),7:F2} ms  p95 {Pct(torchOne, 0.95),7:F2} ms");
            output.WriteLine($"single query  ORT        p50 {Pct(ortOne, 0.5),7:F2} ms  p95 {Pct(ortOne, 0.95),7:F2} ms");
            output.WriteLine($"batch {batch}      TorchSharp {batch * 1000 / Pct(torchMany, 0.5),7:F1} img/s   ORT {batch * 1000 / Pct(ortMany, 0.5),7:F1} img/s");
            output.WriteLine($"ratio TorchSharp/ORT (>1: ORT faster): single p50 {Pct(torchOne, 0.5) / Pct(ortOne, 0.5):F2}x, " +
                             $"p95 {Pct(torchOne, 0.95) / Pct(ortOne, 0.95):F2}x, batch-{batch} {Pct(torchMany, 0.5) / Pct(ortMany, 0.5):F2}x; max |Δ| {gap:E1}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static double Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed.TotalMilliseconds;
    }

    private static double Pct(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
