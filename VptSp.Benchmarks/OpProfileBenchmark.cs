using VptSp.Core.Runtime;
using System.Diagnostics;
using TorchSharp;
using VptSp.Core.Modeling;
using static TorchSharp.torch;

namespace VptSp.Benchmarks;

/// <summary>
/// Per-op profile of one VPT training step, forward vs backward per module type, at the step's own shapes (ViT-S/16: B×(197+10)×384,
/// or $VPTSP_BENCH_VIT / $VPTSP_BENCH_BATCH): each op is timed alone forward and forward+backward (input gradient only, frozen
/// weights as in the step), interleaved over rounds, then multiplied by how often one step runs it. Precisions: fp32, the mixed
/// bf16 scheme (fp32 residual/LayerNorm, bf16 products) and the whole-backbone bf16 of before. The attention rows show both
/// kernels: the one <see cref="AttentionKernels.Choose"/> takes is marked.
/// </summary>
public sealed class OpProfileBenchmark : IBenchmark
{
    public string Name => "op-profile";
    public string Description => "forward vs backward per module type of one VPT step, fp32 / mixed bf16 / whole bf16, both attention kernels";

    private sealed record Op(string Name, int PerStep, Func<Tensor, Tensor> Run, Tensor Input, ScalarType? Autocast);

    public void Run(TextWriter output)
    {
        var spec = VitPresets.Get(Environment.GetEnvironmentVariable("VPTSP_BENCH_VIT") ?? "vit_small_patch16_224");
        var batch = int.TryParse(Environment.GetEnvironmentVariable("VPTSP_BENCH_BATCH"), out var bb) && bb > 0 ? bb : 16;
        const int rounds = 5;
        long n = spec.NumTokens + 10, d = spec.EmbedDim, depth = spec.Depth;
        output.WriteLine($"load before: {PrecisionStepBenchmark.Load()}; threads {get_num_threads()}; {spec.Name} batch {batch}: activations {batch}×{n}×{d}, {rounds} interleaved rounds");

        using var seeded = Init.Seeded(1);
        using var norm = new Norm("norm", d);
        using var qkv = new Dense("qkv", d, 3 * d);
        using var proj = new Dense("proj", d, d);
        using var fc1 = new Dense("fc1", d, spec.MlpHidden);
        using var fc2 = new Dense("fc2", spec.MlpHidden, d);
        using var attn = new Attention("attn", (int)d, spec.NumHeads);
        foreach (var p in new nn.Module[] { norm, qkv, proj, fc1, fc2, attn }.SelectMany(m => m.parameters())) p.requires_grad = false;
        using var qkv16 = new Dense("qkv", d, 3 * d);
        using var proj16 = new Dense("proj", d, d);
        using var fc116 = new Dense("fc1", d, spec.MlpHidden);
        using var fc216 = new Dense("fc2", spec.MlpHidden, d);
        foreach (var m in new[] { qkv16, proj16, fc116, fc216 })
        {
            foreach (var p in m.parameters()) p.requires_grad = false;
            m.CastFrozen(ScalarType.BFloat16);
        }
        using var norm16 = new Norm("norm", d);
        foreach (var p in norm16.parameters()) p.requires_grad = false;
        norm16.CastFrozen(ScalarType.BFloat16);

        var heads = spec.NumHeads;
        var hd = d / heads;
        Tensor Leaf(ScalarType t, params long[] shape) => randn(shape).to(t).requires_grad_(true);
        var f32 = ScalarType.Float32;
        var b16 = ScalarType.BFloat16;
        using var scale = (1.0 / Math.Sqrt(hd)).ToScalar();
        Tensor Sdpa(Tensor x) { var p = x.unbind(0); return nn.functional.scaled_dot_product_attention(p[0], p[1], p[2]); }
        Tensor Explicit(Tensor x) { var p = x.unbind(0); return p[0].mul(scale).matmul(p[1].transpose(-2, -1)).softmax(-1).matmul(p[2]); }
        Tensor AddHalf(Tensor x) => x.Plus(x.to(b16));   // the mixed scheme's residual add: fp32 stream + bf16 branch
        var chosenHalf = AttentionKernels.Choose(b16, true);
        var chosenFull = AttentionKernels.Choose(f32, true);
        string Mark(AttentionKernel k, AttentionKernel chosen) => k == chosen ? " (chosen)" : "";
        var ops = new List<Op>
        {
            new("fp32 LayerNorm", 2 * (int)depth + 1, x => norm.call(x), Leaf(f32, batch, n, d), null),
            new("fp32 linear qkv", (int)depth, x => qkv.call(x), Leaf(f32, batch, n, d), null),
            new("fp32 attention fused" + Mark(AttentionKernel.Fused, chosenFull), (int)depth, Sdpa, Leaf(f32, 3, batch, heads, n, hd), null),
            new("fp32 attention explicit" + Mark(AttentionKernel.Explicit, chosenFull), (int)depth, Explicit, Leaf(f32, 3, batch, heads, n, hd), null),
            new("fp32 linear proj", (int)depth, x => proj.call(x), Leaf(f32, batch, n, d), null),
            new("fp32 linear fc1", (int)depth, x => fc1.call(x), Leaf(f32, batch, n, d), null),
            new("fp32 GELU", (int)depth, x => nn.functional.gelu(x), Leaf(f32, batch, n, spec.MlpHidden), null),
            new("fp32 linear fc2", (int)depth, x => fc2.call(x), Leaf(f32, batch, n, spec.MlpHidden), null),
            new("fp32 residual add", 2 * (int)depth, x => x.Plus(x), Leaf(f32, batch, n, d), null),

            new("mixed LayerNorm (fp32)", 2 * (int)depth + 1, x => norm.call(x), Leaf(f32, batch, n, d), b16),
            new("mixed linear qkv (fp32 in, bf16 out)", (int)depth, x => qkv16.call(x), Leaf(f32, batch, n, d), b16),
            new("bf16 attention fused" + Mark(AttentionKernel.Fused, chosenHalf), (int)depth, Sdpa, Leaf(b16, 3, batch, heads, n, hd), b16),
            new("bf16 attention explicit" + Mark(AttentionKernel.Explicit, chosenHalf), (int)depth, Explicit, Leaf(b16, 3, batch, heads, n, hd), b16),
            new("mixed linear proj (bf16)", (int)depth, x => proj16.call(x), Leaf(b16, batch, n, d), b16),
            new("mixed linear fc1 (fp32 in)", (int)depth, x => fc116.call(x), Leaf(f32, batch, n, d), b16),
            new("bf16 GELU", (int)depth, x => nn.functional.gelu(x), Leaf(b16, batch, n, spec.MlpHidden), b16),
            new("mixed linear fc2 (bf16)", (int)depth, x => fc216.call(x), Leaf(b16, batch, n, spec.MlpHidden), b16),
            new("mixed residual add (fp32 + bf16)", 2 * (int)depth, AddHalf, Leaf(f32, batch, n, d), b16),
            new("mixed residual add, cast first", 2 * (int)depth, x => x.Plus(x.to(b16).to(f32)), Leaf(f32, batch, n, d), b16),

            new("whole-bf16 LayerNorm (bf16)", 2 * (int)depth + 1, x => norm16.call(x), Leaf(b16, batch, n, d), null),
            new("whole-bf16 linear qkv (bf16 in)", (int)depth, x => qkv16.call(x), Leaf(b16, batch, n, d), null),
            new("whole-bf16 linear fc1 (bf16 in)", (int)depth, x => fc116.call(x), Leaf(b16, batch, n, d), null),
            new("whole-bf16 residual add (bf16)", 2 * (int)depth, x => x.Plus(x), Leaf(b16, batch, n, d), null),
        };

        // $VPTSP_OPS=word keeps only the rows whose name contains it (quick iteration on one op)
        var only = Environment.GetEnvironmentVariable("VPTSP_OPS");
        if (!string.IsNullOrEmpty(only)) ops.RemoveAll(o => !o.Name.Contains(only, StringComparison.OrdinalIgnoreCase));
        foreach (var op in ops) Time(op);   // warm-up
        var fwd = ops.ToDictionary(o => o.Name, _ => new List<double>());
        var both = ops.ToDictionary(o => o.Name, _ => new List<double>());
        for (var r = 0; r < rounds; r++)
            foreach (var op in ops)
            {
                var (f, fb) = Time(op);
                fwd[op.Name].Add(f);
                both[op.Name].Add(fb);
            }
        output.WriteLine($"{"op",-44} {"×/step",6} {"fwd ms",8} {"bwd ms",8} {"bwd/fwd",8} {"per step fwd+bwd ms",20}");
        foreach (var op in ops)
        {
            var f = PrecisionStepBenchmark.Median(fwd[op.Name]);
            var b = Math.Max(0, PrecisionStepBenchmark.Median(both[op.Name]) - f);
            output.WriteLine($"{op.Name,-44} {op.PerStep,6} {f,8:F2} {b,8:F2} {b / Math.Max(f, 1e-9),8:F2} {op.PerStep * (f + b),20:F0}");
        }
        output.WriteLine("(bwd = median(forward+backward) − median(forward); per step = count × (fwd + bwd); attention rows are the core after qkv)");
        output.WriteLine($"load after: {PrecisionStepBenchmark.Load()}");
        foreach (var op in ops) op.Input.Dispose();
    }

    /// <summary>Forward alone, then forward + backward of a ones-gradient into the input (ms).</summary>
    private static (double Forward, double Both) Time(Op op)
    {
        using var cast = Autocast.Enter(op.Autocast);
        using var scope = NewDisposeScope();
        var sw = Stopwatch.StartNew();
        using (no_grad()) op.Run(op.Input);
        var forward = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        var y = op.Run(op.Input);
        var g = ones_like(y);
        var before = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        y.backward(new[] { g });
        var both = before + sw.Elapsed.TotalMilliseconds;
        op.Input.grad = null;   // the next backward writes a fresh gradient instead of accumulating
        return (forward, both);
    }
}
