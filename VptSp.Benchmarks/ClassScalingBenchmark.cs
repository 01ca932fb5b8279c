using VptSp.Core.Modeling;

namespace VptSp.Benchmarks;

/// <summary>A VPTSP-G step must not grow with the number of classes: C = 100 vs SOP's 11,318 (memory-bank class prompts).</summary>
public sealed class ClassScalingBenchmark : IBenchmark
{
    public string Name => "model-class-scaling";
    public string Description => "VPTSP-G training step time at C = 100 vs C = 11,318 (demo ViT, batch 8)";

    public void Run(TextWriter output)
    {
        var times = new Dictionary<int, double>();
        foreach (var c in new[] { 100, 11_318 })
        {
            var options = new ModelOptions
            {
                Method = Methods.VptspG, Backbone = "vit_demo_patch8_64", EmbedDim = 128, NumClasses = c,
                NumPrompt = 10, PromptDepth = 6, NumPPrompt = 5, PPromptDepth = 6, Seed = 1,
            };
            using var model = new MetricModel(options);
            using var stepper = new ModelStepper(model, classesPerBatch: 4, samplesPerClass: 2, numClasses: c, seed: 7);
            times[c] = BenchmarkRunner.MedianMs(() => stepper.Step(), repeats: 5, warmup: 1);
            var bankMb = model.ClassPrompts!.ElementCount * 4 / 1e6;
            output.WriteLine($"C = {c,6}: step {times[c],8:F1} ms   (class-prompt bank {bankMb:F1} MB on CPU, {model.CountParameters()})");
        }
        output.WriteLine($"step time ratio C=11,318 / C=100: {times[11_318] / times[100]:F2}x (class count ratio 113x)");
    }
}
