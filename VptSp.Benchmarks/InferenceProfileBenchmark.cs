using System.Diagnostics;
using VptSp.Core.Modeling;
using VptSp.Core.Training;
using static TorchSharp.torch;

namespace VptSp.Benchmarks;

/// <summary>
/// Where one inference batch's time goes, per module of the real model (ViT-S/16 VPT, $VPTSP_BENCH_VIT / $VPTSP_BENCH_BATCH):
/// forward hooks time every module call of <see cref="MetricModel.Embed"/>, and each module's own time (its call minus its
/// children's calls) is summed per module kind over the batch — e.g. "Attention" is the attention core (soft-max and the two
/// batched products) because qkv and proj are its children, "Mlp" is GELU, "Block" the residual adds. Configurations (mixed bf16
/// with the chosen kernel, with fused attention, without the class-token shortcut, and fp32) alternate round by round; medians
/// of $VPTSP_BENCH_REPEATS (at least 5) rounds. tools/torch-step/vit_step.py --profile infer-bf16 prints PyTorch's per-op table
/// for the same batch.
/// </summary>
public sealed class InferenceProfileBenchmark : IBenchmark
{
    public string Name => "infer-profile";
    public string Description => "inference batch per module kind (own time, forward hooks), mixed bf16 variants and fp32";

    public void Run(TextWriter output)
    {
        var spec = VitPresets.Get(Environment.GetEnvironmentVariable("VPTSP_BENCH_VIT") ?? "vit_small_patch16_224");
        var batch = int.TryParse(Environment.GetEnvironmentVariable("VPTSP_BENCH_BATCH"), out var bb) && bb > 0 ? bb : 16;
        var repeats = Math.Max(5, int.TryParse(Environment.GetEnvironmentVariable("VPTSP_BENCH_REPEATS"), out var rr) ? rr : 5);
        output.WriteLine($"load before: {PrecisionStepBenchmark.Load()}; threads {get_num_threads()}; {spec.Name} batch {batch}, 10 deep prompts, {repeats} interleaved rounds");

        using var mixed = NewModel(spec, bf16: true);
        using var fp32 = NewModel(spec, bf16: false);
        using var images = randn(new long[] { batch, 3, spec.ImgSize, spec.ImgSize }, generator: new Generator(3));
        var configs = new (string Name, MetricModel Model, Action Set, Action Reset)[]
        {
            ("mixed bf16 (chosen)", mixed, () => { }, () => { }),
            ("mixed bf16, fused attention", mixed, () => PrecisionStepBenchmark.SetKernel(mixed, AttentionKernel.Fused), () => PrecisionStepBenchmark.SetKernel(mixed, null)),
            ("mixed bf16, every token", mixed, () => mixed.UsedTokensOnly = false, () => mixed.UsedTokensOnly = true),
            ("fp32", fp32, () => { }, () => { }),
        };
        using var timer = new ModuleTimer(new nn.Module[] { mixed, fp32 });
        var totals = configs.ToDictionary(c => c.Name, _ => new List<double>());
        var parts = configs.ToDictionary(c => c.Name, _ => new Dictionary<string, List<double>>());
        for (var r = -1; r < repeats; r++)   // round -1 warms up
            foreach (var c in configs)
            {
                c.Set();
                try
                {
                    timer.Clear();
                    var sw = Stopwatch.StartNew();
                    using (var e = c.Model.Embed(images)) { }
                    var ms = sw.Elapsed.TotalMilliseconds;
                    if (r < 0) continue;
                    totals[c.Name].Add(ms);
                    var rest = ms - timer.OwnMs.Values.Sum();
                    foreach (var (kind, own) in timer.OwnMs.Append(new("outside modules", rest)))
                    {
                        if (!parts[c.Name].TryGetValue(kind, out var list)) parts[c.Name][kind] = list = new List<double>();
                        list.Add(own);
                    }
                }
                finally { c.Reset(); }
            }

        var kinds = parts.Values.SelectMany(p => p.Keys).Distinct().OrderByDescending(k => PrecisionStepBenchmark.Median(parts[configs[0].Name].GetValueOrDefault(k) ?? [0])).ToList();
        output.WriteLine($"{"own time per batch, ms",-34}" + string.Concat(configs.Select(c => $" {c.Name,28}")));
        foreach (var k in kinds)
            output.WriteLine($"{k,-34}" + string.Concat(configs.Select(c => $" {PrecisionStepBenchmark.Median(parts[c.Name].GetValueOrDefault(k) ?? [0]),28:F1}")));
        output.WriteLine($"{"whole Embed (median)",-34}" + string.Concat(configs.Select(c => $" {PrecisionStepBenchmark.Median(totals[c.Name]),28:F1}")));
        output.WriteLine("(own time = a module's call minus its children's; \"outside modules\" = the rest of Embed: token embedding, prompt");
        output.WriteLine(" concatenation and removal, pooling; with used tokens only also the qkv products, attention core and residual adds, which");
        output.WriteLine(" are then direct calls (Block.ForwardTokens) — the \"every token\" column splits those by kind)");
        output.WriteLine($"load after: {PrecisionStepBenchmark.Load()}");
    }

    private static MetricModel NewModel(VitSpec spec, bool bf16) => new(ModelFactory.Options(new TrainingConfig
    {
        PretrainedModel = spec.Name, EmbedDim = 384, VitPrompt = true, NumPrompt = 10, PromptDepth = spec.Depth, Bf16 = bf16 ? Bf16Mode.On : Bf16Mode.Off, Seed = 1,
    }, numClasses: 100));

    /// <summary>Forward pre/post hooks on every module: inclusive call time on a stack, own time summed per module kind.</summary>
    private sealed class ModuleTimer : IDisposable
    {
        private readonly List<Action> _removers = new();
        private readonly Stack<(long Start, double Children)> _stack = new();
        private readonly Dictionary<string, double> _own = new();

        public ModuleTimer(IEnumerable<nn.Module> roots)
        {
            foreach (var root in roots)
                foreach (var (name, m) in root.named_modules().Prepend(("", root)))
                {
                    if (m is not nn.Module<Tensor, Tensor> hookable) continue;
                    var kind = Kind(name, m);
                    _removers.Add(hookable.register_forward_pre_hook(_ => _stack.Push((Stopwatch.GetTimestamp(), 0))).remove);
                    _removers.Add(hookable.register_forward_hook(_ =>
                    {
                        var (start, children) = _stack.Pop();
                        var inclusive = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                        _own[kind] = _own.GetValueOrDefault(kind) + inclusive - children;
                        if (_stack.Count > 0)
                        {
                            var (s, c) = _stack.Pop();
                            _stack.Push((s, c + inclusive));
                        }
                    }).remove);
                }
        }

        public IReadOnlyDictionary<string, double> OwnMs => _own;

        public void Clear() => _own.Clear();

        private static string Kind(string name, nn.Module m)
        {
            var last = name.Split('.')[^1];
            return m switch
            {
                Dense => $"Dense {last}",
                Norm => last is "fc_norm" or "norm" ? "Norm (final, fc_norm)" : "Norm (blocks)",
                Mlp => "Mlp (GELU)",
                Attention => "Attention (core)",
                Block => "Block (residual adds)",
                _ => m.GetType().Name,
            };
        }

        public void Dispose()
        {
            foreach (var remove in _removers) remove();
        }
    }
}
