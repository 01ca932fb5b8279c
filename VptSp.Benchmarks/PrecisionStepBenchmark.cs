using VptSp.Core.Modeling;
using static TorchSharp.torch;

namespace VptSp.Benchmarks;

/// <summary>ViT-S/16 (224 px) VPT training step at batch 16 in fp32 and bf16, with achieved FLOP/s next to a matmul measured in the same run.</summary>
public sealed class PrecisionStepBenchmark : IBenchmark
{
    public string Name => "model-precision";
    public string Description => "ViT-S/16 batch-16 step fp32 vs bf16, achieved FLOP/s vs 1024² matmul";

    public void Run(TextWriter output)
    {
        const int batch = 16;
        var spec = VitPresets.Get("vit_small_patch16_224");
        const int numPrompt = 10;
        var forward = ForwardFlops(spec, numPrompt) * batch;
        // frozen backbone: backward needs input gradients only (≈ 1× forward for the matmuls) + prompt/bias grads; count 2× forward
        var stepFlops = 3 * forward;
        var matmul = MatmulGflops();
        output.WriteLine($"matmul 1024²: fp32 {matmul.Fp32:F1} GFLOP/s, bf16 {matmul.Bf16:F1} GFLOP/s (threads {get_num_threads()})");
        output.WriteLine($"ViT-S/16 forward {forward / 1e9:F1} GFLOP per batch of {batch}; step ≈ 3× forward = {stepFlops / 1e9:F1} GFLOP");
        var ms = new Dictionary<bool, double>();
        foreach (var bf16 in new[] { false, true })
        {
            var options = new ModelOptions
            {
                Method = Methods.Vpt, Backbone = spec.Name, EmbedDim = 384, NumClasses = 100,
                NumPrompt = numPrompt, PromptDepth = 12, Bf16 = bf16, Seed = 1,
            };
            using var model = new MetricModel(options);
            using var stepper = new ModelStepper(model, classesPerBatch: 8, samplesPerClass: 2, numClasses: 100, seed: 3);
            ms[bf16] = BenchmarkRunner.MedianMs(() => stepper.Step(), repeats: 2, warmup: 1);
            var achieved = stepFlops / ms[bf16] / 1e6;
            var reference = bf16 ? matmul.Bf16 : matmul.Fp32;
            output.WriteLine($"{(bf16 ? "bf16" : "fp32")}: step {ms[bf16],8:F0} ms  ≈ {achieved,6:F1} GFLOP/s = {100 * achieved / reference:F0} % of the {(bf16 ? "bf16" : "fp32")} matmul");
        }
        output.WriteLine($"bf16 speed-up per step: {ms[false] / ms[true]:F2}x");
    }

    /// <summary>Multiply-adds ×2 of one image through a ViT with <paramref name="prompts"/> extra tokens in every block.</summary>
    private static double ForwardFlops(VitSpec s, int prompts)
    {
        double d = s.EmbedDim, n = s.NumTokens + prompts, patches = s.NumTokens - 1;
        var patch = 2 * patches * d * 3 * s.PatchSize * s.PatchSize;
        var block = 2 * n * d * 3 * d + 2 * 2 * n * n * d + 2 * n * d * d + 2 * 2 * n * d * s.MlpHidden;
        return patch + s.Depth * block;
    }

    private static (double Fp32, double Bf16) MatmulGflops()
    {
        const int n = 1024;
        using var a = randn(n, n);
        using var b = randn(n, n);
        using var a16 = a.to(ScalarType.BFloat16);
        using var b16 = b.to(ScalarType.BFloat16);
        var flops = 2.0 * n * n * n;
        var fp32 = BenchmarkRunner.MedianMs(() => { using var c = a.mm(b); });
        var bf16 = BenchmarkRunner.MedianMs(() => { using var c = a16.mm(b16); });
        return (flops / fp32 / 1e6, flops / bf16 / 1e6);
    }
}
