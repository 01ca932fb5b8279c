using System.Globalization;
using VptSp.Core.Modeling;
using VptSp.Core.Training;
using static TorchSharp.torch;

namespace VptSp.Benchmarks;

/// <summary>
/// The VPT training step and the inference batch in fp32, in mixed bf16 (the reference's autocast scheme, today's code) and in the
/// whole-backbone bf16 of before, each timed forward/backward, all configurations interleaved round by round (medians of at least
/// five rounds), with achieved FLOP/s against a matmul measured in the same run, and the same step in the user's PyTorch
/// (tools/torch-step/vit_step.py) when a Python with torch is found. Shape: $VPTSP_BENCH_VIT (default ViT-S/16 224 px),
/// $VPTSP_BENCH_BATCH (16), $VPTSP_BENCH_REPEATS (5, at least 5).
/// </summary>
public sealed class PrecisionStepBenchmark : IBenchmark
{
    private const int NumPrompt = 10;

    public string Name => "model-precision";
    public string Description => "VPT step + inference fp32 / mixed bf16 / whole-backbone bf16, fwd/bwd, FLOP/s, side by side with PyTorch";

    public void Run(TextWriter output)
    {
        var spec = VitPresets.Get(Environment.GetEnvironmentVariable("VPTSP_BENCH_VIT") ?? "vit_small_patch16_224");
        var batch = EnvInt("VPTSP_BENCH_BATCH", 16);
        var repeats = Math.Max(5, EnvInt("VPTSP_BENCH_REPEATS", 5));
        output.WriteLine($"load before: {Load()}; threads {get_num_threads()}; {spec.Name}, batch {batch}, {NumPrompt} deep prompts, {repeats} interleaved rounds");

        var flops = StepFlops.Of(spec, NumPrompt, batch);
        output.WriteLine($"FLOP per batch: forward {flops.Forward / 1e9:F1} G; backward {flops.Backward / 1e9:F1} G = {flops.Backward / flops.Forward:F2}× forward " +
                         "(frozen backbone: input gradients only, attention's two products twice, no patch-embedding backward); " +
                         $"step {(flops.Forward + flops.Backward) / flops.Forward:F2}× forward");
        var matmul = MatmulGflops();
        output.WriteLine($"matmul 1024²: fp32 {matmul.Fp32:F1} GFLOP/s, bf16 {matmul.Bf16:F1} GFLOP/s");

        using var fp32 = NewModel(spec, bf16: false);
        using var mixed = NewModel(spec, bf16: true);
        using var whole = NewModel(spec, bf16: false);
        whole.Backbone.CastFrozenParameters(ScalarType.BFloat16);   // before: residual stream and LayerNorm in bf16 too, fused attention
        SetKernel(whole, AttentionKernel.Fused);
        using var sFp32 = Stepper(fp32, batch);
        using var sMixed = Stepper(mixed, batch);
        using var sWhole = Stepper(whole, batch);
        using var torch = TorchPartner.TryStart(spec, batch, NumPrompt, out var why);
        output.WriteLine(torch is null ? $"PyTorch side by side: skipped ({why})" : $"PyTorch side by side: torch {torch.Version} via {torch.Python}");

        var entries = new List<(string Name, bool Bf16, Func<(double F, double B)> Run)>
        {
            ("fp32 train", false, () => Timed(sFp32)),
            ("bf16 mixed train", true, () => Timed(sMixed)),
            ("bf16 mixed train, explicit attention", true, () =>
            {
                SetKernel(mixed, AttentionKernel.Explicit);
                try { return Timed(sMixed); } finally { SetKernel(mixed, null); }
            }),
            ("bf16 whole-backbone train (before)", true, () => Timed(sWhole)),
            ("fp32 inference", false, () => (sFp32.EmbedMs(), 0)),
            ("bf16 mixed inference", true, () => (sMixed.EmbedMs(), 0)),
            ("bf16 mixed inference, fused attention", true, () =>
            {
                SetKernel(mixed, AttentionKernel.Fused);
                try { return (sMixed.EmbedMs(), 0); } finally { SetKernel(mixed, null); }
            }),
            ("bf16 mixed inference, every token", true, () =>
            {
                mixed.UsedTokensOnly = false;   // outputs for every token in every block, as the PyTorch partner computes
                try { return (sMixed.EmbedMs(), 0); } finally { mixed.UsedTokensOnly = true; }
            }),
            ("bf16 mixed inference (before: fused, every token)", true, () =>
            {
                SetKernel(mixed, AttentionKernel.Fused);
                mixed.UsedTokensOnly = false;
                try { return (sMixed.EmbedMs(), 0); } finally { SetKernel(mixed, null); mixed.UsedTokensOnly = true; }
            }),
            ("bf16 whole-backbone inference (before)", true, () => (sWhole.EmbedMs(), 0)),
        };
        if (torch is not null)
            entries.AddRange(new (string, bool, Func<(double, double)>)[]
            {
                ("PyTorch fp32 train", false, () => torch.Run("train", "fp32")),
                ("PyTorch bf16 train", true, () => torch.Run("train", "bf16")),
                ("PyTorch fp32 inference", false, () => torch.Run("infer", "fp32")),
                ("PyTorch bf16 inference", true, () => torch.Run("infer", "bf16")),
            });

        foreach (var e in entries) e.Run();   // warm-up round (allocator, optimiser state, oneDNN kernels)
        var times = entries.ToDictionary(e => e.Name, _ => new List<(double F, double B)>());
        for (var r = 0; r < repeats; r++)
            foreach (var e in entries)
                times[e.Name].Add(e.Run());

        output.WriteLine($"{"configuration",-50} {"fwd ms",8} {"bwd ms",8} {"total ms",9} {"fwd % peak",10} {"bwd % peak",10}");
        var total = new Dictionary<string, double>();
        foreach (var e in entries)
        {
            var f = Median(times[e.Name].Select(t => t.F));
            var b = Median(times[e.Name].Select(t => t.B));
            total[e.Name] = Median(times[e.Name].Select(t => t.F + t.B));
            var peak = e.Bf16 ? matmul.Bf16 : matmul.Fp32;
            var fPeak = 100 * flops.Forward / f / 1e6 / peak;
            var bPeak = b > 0 ? $"{100 * flops.Backward / b / 1e6 / peak,9:F0}%" : $"{"",10}";
            output.WriteLine($"{e.Name,-50} {f,8:F0} {b,8:F0} {total[e.Name],9:F0} {fPeak,9:F0}% {bPeak}");
        }
        output.WriteLine($"mixed bf16 step / whole-backbone bf16 step (before): {total["bf16 mixed train"] / total["bf16 whole-backbone train (before)"]:F2} (≤ 1.10 asked)");
        output.WriteLine($"explicit / chosen attention kernel in the mixed bf16 step: {total["bf16 mixed train, explicit attention"] / total["bf16 mixed train"]:F2}");
        output.WriteLine($"mixed bf16 inference: fused / chosen attention kernel {total["bf16 mixed inference, fused attention"] / total["bf16 mixed inference"]:F2}, " +
                         $"every token / used tokens only {total["bf16 mixed inference, every token"] / total["bf16 mixed inference"]:F2}");
        output.WriteLine($"bf16 speed-up over fp32: step {total["fp32 train"] / total["bf16 mixed train"]:F2}x, inference {total["fp32 inference"] / total["bf16 mixed inference"]:F2}x");
        if (torch is not null)
        {
            output.WriteLine("VptSp time / PyTorch time (≤ 1.0 means VptSp is at least as fast):");
            foreach (var (mine, theirs) in new[]
                     {
                         ("bf16 mixed train", "PyTorch bf16 train"), ("fp32 train", "PyTorch fp32 train"),
                         ("fp32 inference", "PyTorch fp32 inference"), ("bf16 mixed inference", "PyTorch bf16 inference"),
                         ("bf16 mixed inference, every token", "PyTorch bf16 inference"),
                         ("bf16 mixed inference (before: fused, every token)", "PyTorch bf16 inference"),
                     })
                output.WriteLine($"  {mine,-50} {total[mine] / total[theirs]:F2}  ({total[mine]:F0} vs {total[theirs]:F0} ms; PyTorch {total[theirs] / total[mine]:F2}× slower)");
        }
        output.WriteLine($"load after: {Load()}");
    }

    private static (double F, double B) Timed(ModelStepper s)
    {
        var (_, f, b) = s.StepTimed();
        return (f, b);
    }

    private static MetricModel NewModel(VitSpec spec, bool bf16) => new(ModelFactory.Options(new TrainingConfig
    {
        PretrainedModel = spec.Name, EmbedDim = 384, VitPrompt = true, NumPrompt = NumPrompt, PromptDepth = spec.Depth, Bf16 = bf16 ? Bf16Mode.On : Bf16Mode.Off, Seed = 1,
    }, numClasses: 100));

    private static ModelStepper Stepper(MetricModel m, int batch) =>
        new(m, classesPerBatch: batch / 2, samplesPerClass: 2, numClasses: 100, seed: 3);

    internal static void SetKernel(nn.Module model, AttentionKernel? kernel)
    {
        foreach (var m in model.modules())
            if (m is Attention a) a.Kernel = kernel;
    }

    internal static string Load()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + " (1/5/15-min load)"; }
        catch (IOException) { return "unknown"; }
    }

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;

    internal static double Median(IEnumerable<double> values)
    {
        var a = values.OrderBy(v => v).ToArray();
        return a.Length % 2 == 1 ? a[a.Length / 2] : (a[a.Length / 2 - 1] + a[a.Length / 2]) / 2;
    }

    internal static (double Fp32, double Bf16) MatmulGflops()
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

/// <summary>Honest FLOP counts of the VPT step with a frozen backbone (multiply-add = 2 FLOP).</summary>
internal readonly record struct StepFlops(double Forward, double Backward)
{
    /// <summary>
    /// Forward: patch projection + per block qkv, q·kᵀ, attention·v, proj, fc1, fc2 over N + prompts tokens. Backward: only input
    /// gradients flow through frozen weights (one product per linear layer, no weight gradients, none for the patch projection,
    /// whose input needs none), but both operands of q·kᵀ and attention·v are activations (two products each).
    /// </summary>
    public static StepFlops Of(VitSpec s, int prompts, int batch)
    {
        double d = s.EmbedDim, n = s.NumTokens + prompts, patches = s.NumTokens - 1, h = s.MlpHidden;
        var patch = 2 * patches * d * 3 * s.PatchSize * s.PatchSize;
        var linear = 2 * n * d * 3 * d + 2 * n * d * d + 2 * 2 * n * d * h;
        var attention = 2 * 2 * n * n * d;
        var forward = patch + s.Depth * (linear + attention);
        var backward = s.Depth * (linear + 2 * attention);
        return new StepFlops(batch * forward, batch * backward);
    }
}
