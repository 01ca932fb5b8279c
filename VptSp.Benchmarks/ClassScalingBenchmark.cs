using System.Diagnostics;
using VptSp.Core.Modeling;
using VptSp.Core.Training;
using VptSp.Core.Training.Optimization;

namespace VptSp.Benchmarks;

/// <summary>A VPTSP-G step must not grow with the number of classes: C = 100 vs SOP's 11,318 (memory-bank class prompts).</summary>
public sealed class ClassScalingBenchmark : IBenchmark
{
    public string Name => "model-class-scaling";
    public string Description => "VPTSP-G training step time at C = 100 vs C = 11,318 (demo ViT, batch 8), steps interleaved";

    public void Run(TextWriter output)
    {
        var sizes = new[] { 100, 11_318 };
        var models = new List<MetricModel>();
        var steppers = new List<ModelStepper>();
        try
        {
            foreach (var c in sizes)
            {
                var options = ModelFactory.Options(new TrainingConfig
                {
                    PretrainedModel = "vit_demo_patch8_64", EmbedDim = 128, VitPrompt = true, VitProxyNet = true, ProxyMixBias = true,
                    VitBitfit = true, NumPrompt = 10, PromptDepth = 6, NumPPrompt = 5, PPromptDepth = 6, PromptMemoryBank = true,
                    Optim = OptimizerKind.AdamW, Seed = 1,
                }, numClasses: c);
                var model = new MetricModel(options);
                models.Add(model);
                steppers.Add(new ModelStepper(model, classesPerBatch: 4, samplesPerClass: 2, numClasses: c, seed: 7));
                steppers[^1].Step();   // warm-up (optimiser state, allocator)
            }
            // alternate the two sizes so that load changes on a shared machine hit both alike
            var times = sizes.Select(_ => new List<double>()).ToArray();
            for (var r = 0; r < 5; r++)
                for (var i = 0; i < sizes.Length; i++)
                {
                    var sw = Stopwatch.StartNew();
                    steppers[i].Step();
                    times[i].Add(sw.Elapsed.TotalMilliseconds);
                }
            var medians = times.Select(t => t.Order().ElementAt(t.Count / 2)).ToArray();
            for (var i = 0; i < sizes.Length; i++)
            {
                var bankMb = models[i].ClassPrompts!.ElementCount * 4 / 1e6;
                output.WriteLine($"C = {sizes[i],6}: step {medians[i],8:F1} ms   (class-prompt bank {bankMb:F1} MB on CPU; {models[i].CountParameters()})");
            }
            output.WriteLine($"step time ratio C=11,318 / C=100: {medians[1] / medians[0]:F2}x (class count ratio 113x)");
        }
        finally
        {
            foreach (var s in steppers) s.Dispose();
            foreach (var m in models) m.Dispose();
        }
    }
}
