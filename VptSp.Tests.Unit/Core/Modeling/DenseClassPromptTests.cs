using VptSp.Core.Runtime;
using TorchSharp;
using VptSp.Core.Modeling;
using VptSp.Core.Training;
using VptSp.Core.Training.Optimization;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Modeling;

/// <summary>Class prompts as ordinary C×n_i×D parameters when <c>prompt_memory_bank</c> is off (the CUB and Cars configs).</summary>
public class DenseClassPromptTests
{
    private static (Tensor Images, Tensor Labels) Batch(long[] classes, int k, ulong seed)
    {
        var images = randn(new long[] { classes.Length * k, 3, 32, 32 }, generator: new Generator(seed));
        return (images, tensor(classes.SelectMany(c => Enumerable.Repeat(c, k)).ToArray()));
    }

    private static double Step(MetricModel m, ParameterOptimizer opt, long[] classes, ulong seed)
    {
        using var scope = NewDisposeScope();
        var (x, y) = Batch(classes, 2, seed);
        var o = m.ForwardTrain(x, y);
        var loss = o.Embeddings.mm(o.AllProxies.t()).sum();
        opt.ZeroGrad();
        loss.backward();
        opt.Step();
        m.AfterStep(opt.Groups[0].LearningRate);
        return loss.ReadSingle();
    }

    [Fact]
    public void WithoutTheBankClassPromptsAreModelParametersOfAllClasses()
    {
        using var m = new MetricModel(TinyModels.Options("vptsp_g", c => c with { PromptMemoryBank = false }));
        Assert.Null(m.ClassPrompts);
        Assert.Equal(new[] { new long[] { 10, 3, 32 }, new long[] { 10, 2, 32 } }, m.DenseClassPrompts.Select(p => p.shape));
        Assert.All(m.DenseClassPrompts, p => Assert.Contains(m.ModelParameters(), q => ReferenceEquals(p, q)));
        Assert.Contains("p_prompts.1", m.TrainableNames());
    }

    [Fact]
    public void OnlyBatchRowsGetGradientsButMomentumAndDecayMoveEveryRowEachStep()
    {
        using var m = new MetricModel(TinyModels.Options("vptsp_g", c => c with { PromptMemoryBank = false }));
        m.train();
        using var opt = new ParameterOptimizer(UpdateRule.Create(OptimizerKind.Sgd, 0.9), [new OptimizerGroup(m.ModelParameters(), 0.1, 0.01)]);
        var rows = m.DenseClassPrompts[0];
        var initial = rows.detach().clone();

        using (var scope = NewDisposeScope())
        {
            var (x, y) = Batch([1, 2], 2, 7);
            var o = m.ForwardTrain(x, y);
            o.Embeddings.mm(o.AllProxies.t()).sum().backward();
            using var g = rows.grad!;
            var perClass = g.abs().sum(new long[] { 1, 2 }).data<float>().ToArray();
            for (var c = 0; c < 10; c++) Assert.True(c is 1 or 2 ? perClass[c] > 0 : perClass[c] == 0, $"class {c} gradient {perClass[c]}");
            m.DiscardStep();
        }

        Step(m, opt, [1, 2], 7);
        var afterFirst = rows.detach().clone();
        Step(m, opt, [3, 4], 8);
        // class 0 was never in a batch; weight decay (through the momentum buffer) alone moves it:
        // p1 = p0 − lr·wd·p0; p2 = p1 − lr·(0.9·wd·p0 + wd·p1) = (0.999² − 0.0009)·p0
        using var factor = (0.999 * 0.999 - 0.0009).ToScalar();
        using var decayed = initial[0].mul(factor);
        Assert.True(rows[0].allclose(decayed, 1e-5, 1e-7), "class 0 moves by weight decay only");
        // class 1 was only in the first batch: its momentum buffer still moves it in the second step
        using var thousandth = 0.001.ToScalar();
        using var stillMoving = (rows[1] - afterFirst[1]).abs().max();
        using var decayOnly = afterFirst[1].mul(thousandth).abs().max();
        Assert.True(stillMoving.ReadSingle() > 10 * decayOnly.ReadSingle(), "class 1 keeps moving by momentum after leaving the batch");
    }

    [Theory]
    [InlineData("cub200", 64, 384, false, false)]
    [InlineData("cub200", 64, 384, true, true)]
    [InlineData("sop", 256, 384, false, true)]
    [InlineData("inshop", 256, 384, false, true)]
    [InlineData("sop", 128, 384, false, false)]
    [InlineData("cub200", 256, 512, false, true)]
    [InlineData("cub200", 256, 384, false, false)]
    public void TheBankIsOnWhenTheConfigSaysSoOrTheReferencesAutomaticSwitchWould(string dataset, int batch, int embed, bool key, bool expected)
    {
        var c = new TrainingConfig
        {
            Dataset = dataset, BatchSize = batch, EmbedDim = embed, PromptMemoryBank = key, VitPrompt = true, VitProxyNet = true, ProxyMixBias = true,
        };
        Assert.Equal(expected, ModelFactory.UsesMemoryBank(c));
        Assert.Equal(expected, ModelFactory.Options(c, 10, null, false).PromptMemoryBank);
    }
}
