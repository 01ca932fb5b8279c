using TorchSharp;
using VptSp.Core.Modeling;
using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Tests.Core.Modeling;

public class MetricModelTests
{
    private static readonly string[] Head = { "head.weight", "head.bias", "fc_norm.weight", "fc_norm.bias" };
    private static readonly string[] BackboneBiases =
    {
        "backbone.patch_embed.proj.bias", "backbone.norm.bias",
        "backbone.blocks.0.norm1.bias", "backbone.blocks.0.attn.qkv.bias", "backbone.blocks.0.attn.proj.bias",
        "backbone.blocks.0.norm2.bias", "backbone.blocks.0.mlp.fc1.bias", "backbone.blocks.0.mlp.fc2.bias",
        "backbone.blocks.1.norm1.bias", "backbone.blocks.1.attn.qkv.bias", "backbone.blocks.1.attn.proj.bias",
        "backbone.blocks.1.norm2.bias", "backbone.blocks.1.mlp.fc1.bias", "backbone.blocks.1.mlp.fc2.bias",
    };

    public static TheoryData<string> AllMethods => new() { "full", "linear", "vpt", "bitfit", "adapter", "vptsp_g" };

    private static string[] Expected(string method, MetricModel m) => method switch
    {
        "full" => Head.Concat(m.Backbone.named_parameters().Select(p => "backbone." + p.name)).Append("proxies_bias").ToArray(),
        "linear" => Head.Append("proxies_bias").ToArray(),
        "vpt" => Head.Concat(new[] { "prompts.0", "prompts.1", "proxies_bias" }).ToArray(),
        "bitfit" => Head.Concat(BackboneBiases).Append("proxies_bias").ToArray(),
        "adapter" => Head.Concat(new[] { "down_proj.weight", "down_proj.bias", "up_proj.weight", "up_proj.bias", "adapter_ln.weight", "adapter_ln.bias" }
            .Select(n => "backbone.blocks.1.adapter." + n)).Append("proxies_bias").ToArray(),
        "vptsp_g" => Head.Concat(BackboneBiases).Concat(new[]
        {
            "prompts.0", "prompts.1", "p_fc_norm.weight", "p_fc_norm.bias", "p_head.weight", "p_head.bias",
            "rnn_update.W_ir", "rnn_update.W_hr", "rnn_update.b_ir", "rnn_update.W_iz", "rnn_update.W_hz", "rnn_update.b_iz",
            "rnn_update.W_in", "rnn_update.W_hn", "rnn_update.b_in", "proxies_bias", "p_prompts.0", "p_prompts.1",
        }).ToArray(),
        _ => throw new ArgumentException(method),
    };

    private static (Tensor Images, Tensor Labels) Batch(int[] classes, int k, long seed)
    {
        var gen = new Generator((ulong)seed);
        var images = randn(new long[] { classes.Length * k, 3, 32, 32 }, generator: gen);
        var labels = tensor(classes.SelectMany(c => Enumerable.Repeat((long)c, k)).ToArray());
        return (images, labels);
    }

    private static Tensor Loss(MetricOutput o) =>
        o.Embeddings.mm(o.AllProxies.t()).sum().Plus(o.Embeddings.mm(o.BatchProxies.t()).pow(Scalars.Two).sum());

    [Theory]
    [MemberData(nameof(AllMethods))]
    public void ExactlyTheIntendedParametersTrainForEachMethod(string method)
    {
        using var m = new MetricModel(TinyModels.Options(method));
        Assert.Equal(Expected(method, m).OrderBy(n => n, StringComparer.Ordinal), m.TrainableNames().OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(new[] { "proxies_bias" }.Length, m.ProxyParameters().Count);
        Assert.DoesNotContain(m.ModelParameters(), p => ReferenceEquals(p, m.ProxyParameters()[0]));
        Assert.All(m.ModelParameters(), p => Assert.True(p.requires_grad));
    }

    [Theory]
    [MemberData(nameof(AllMethods))]
    public void GradientsReachOnlyTrainableParameters(string method)
    {
        using var m = new MetricModel(TinyModels.Options(method));
        m.train();
        using var scope = NewDisposeScope();
        var (x, y) = Batch(new[] { 1, 4 }, 2, 5);
        var o = m.ForwardTrain(x, y);
        Loss(o).backward();
        foreach (var (name, p) in m.named_parameters())
        {
            using var g = p.grad;
            if (p.requires_grad) Assert.True(g is not null, $"{name} got no gradient");
            else Assert.True(g is null, $"frozen {name} got a gradient");
        }
        m.AfterStep(0.01);
    }

    [Fact]
    public void ParameterCountsAddUpAndReportThePercentage()
    {
        using var m = new MetricModel(TinyModels.Options("linear"));
        var c = m.CountParameters();
        var backbone = VisionTransformer.CountParameters(VitPresets.Get("vit_test_patch8_32"));
        Assert.Equal(backbone, c.Backbone);
        var head = 2 * 32 + 32 * 16 + 16;
        Assert.Equal(head + 10 * 16, c.Trainable);
        Assert.Equal(backbone + head + 10 * 16, c.Total);
        Assert.Equal(100.0 * c.Trainable / c.Total, c.TrainablePercent, 9);

        using var g = new MetricModel(TinyModels.Options("vptsp_g"));
        // memory-bank class prompts: C·(3 + 2)·D
        Assert.Equal(10L * (3 + 2) * 32, g.ClassPrompts!.ElementCount);
        Assert.True(g.CountParameters().Trainable > g.CountParameters().Total - backbone);
    }

    [Fact]
    public void EvalEmbeddingsAreUnitLengthAndDeterministic()
    {
        using var m = new MetricModel(TinyModels.Options("vptsp_g", c => c with { FeatureDropout = 0.5 }));
        m.train();
        var (x, _) = Batch(new[] { 0, 1, 2 }, 1, 9);
        using var a = m.Embed(x);
        using var b = m.Embed(x);
        Assert.Equal(new long[] { 3, 16 }, a.shape);
        Assert.True(a.norm(1).allclose(ones(3), 1e-5, 1e-5));
        Assert.True(a.allclose(b, 0, 0));
        Assert.True(m.training);
    }

    [Fact]
    public void OnlyTheBatchClassPromptRowsReceiveGradientsAndChange()
    {
        using var m = new MetricModel(TinyModels.Options("vptsp_g"));
        m.train();
        var before = m.ClassPrompts!.Rows.Select(r => r.clone()).ToArray();
        using (var scope = NewDisposeScope())
        {
            var (x, y) = Batch(new[] { 7, 2, 5 }, 2, 11);
            var o = m.ForwardTrain(x, y);
            Assert.Equal(new long[] { 7, 2, 5 }, o.BatchClasses.data<long>().ToArray());
            Loss(o).backward();
            var leaves = m.PendingClassPrompts!.Leaves;
            Assert.Equal(new long[] { 3, 3, 32 }, leaves[0].shape);   // 3 batch classes × 3 prompts
            Assert.Equal(new long[] { 3, 2, 32 }, leaves[1].shape);   // block step 1 → 2 prompts in block 1
            foreach (var leaf in leaves)
            {
                using var g = leaf.grad;
                Assert.NotNull(g);
                Assert.True(g!.abs().sum(new long[] { 1, 2 }).min().ReadSingle() > 0f, "each batch class prompt gets a gradient");
            }
            m.AfterStep(0.05);
        }
        var changed = new[] { 2, 5, 7 };
        for (var i = 0; i < before.Length; i++)
        for (var c = 0; c < 10; c++)
        {
            var same = m.ClassPrompts.Rows[i][c].allclose(before[i][c], 0, 0);
            Assert.True(changed.Contains(c) ? !same : same, $"block {i} class {c}: changed = {!same}");
        }
    }

    [Fact]
    public void ProxyContainerUpdatesOnlyBatchRowsAndStaysNormalised()
    {
        using var m = new MetricModel(TinyModels.Options("vptsp_g"));
        m.train();
        var before = m.ProxyContainerValues!.clone();
        using (var scope = NewDisposeScope())
        {
            var (x, y) = Batch(new[] { 3, 8 }, 2, 4);
            var o = m.ForwardTrain(x, y);
            Assert.Equal(new long[] { 10, 16 }, o.AllProxies.shape);
            Assert.Equal(new long[] { 2, 16 }, o.BatchProxies.shape);
            Assert.True(o.BatchProxies.norm(1).allclose(ones(2), 1e-5, 1e-5));
            Assert.True(o.AllProxies.requires_grad);
            m.AfterStep(0.01);
        }
        var after = m.ProxyContainerValues!;
        Assert.False(after.requires_grad);
        Assert.True(after.norm(1).allclose(ones(10), 1e-5, 1e-5));
        for (var c = 0; c < 10; c++)
        {
            var same = after[c].allclose(before[c], 1e-6, 1e-6);
            Assert.True(c is 3 or 8 ? !same : same, $"container row {c}");
        }
    }

    [Fact]
    public void BaselinesReturnThePlainProxyTable()
    {
        using var m = new MetricModel(TinyModels.Options("vpt"));
        m.train();
        using var scope = NewDisposeScope();
        var (x, y) = Batch(new[] { 6, 1 }, 2, 2);
        var o = m.ForwardTrain(x, y);
        var table = m.ProxyParameters()[0];
        Assert.True(o.AllProxies.allclose(table));
        Assert.True(o.BatchProxies.allclose(table.index_select(0, tensor(new long[] { 6, 1 }))));
    }

    [Fact]
    public void BatchesThatAreNotClassGroupedAreRejected()
    {
        using var m = new MetricModel(TinyModels.Options("vptsp_g"));
        using var scope = NewDisposeScope();
        var x = randn(4, 3, 32, 32);
        var ex = Assert.Throws<ArgumentException>(() => m.ForwardTrain(x, tensor(new long[] { 1, 2, 1, 2 })));
        Assert.Contains("class-grouped", ex.Message);
        Assert.Throws<ArgumentException>(() => m.ForwardTrain(x, tensor(new long[] { 1, 1, 1, 2 })));
        Assert.Throws<ArgumentException>(() => m.ForwardTrain(x, tensor(new long[] { 1, 1, 12, 12 })));
    }

    [Fact]
    public void MixSemanticTypeBlendsTheContainerWithTheClassMean()
    {
        using var m = new MetricModel(TinyModels.Options("vptsp_g", c => c with { SemanticMixType = SemanticMixType.Mix, ProxyMixKeepRatio = 1.0 }));
        m.train();
        var before = m.ProxyContainerValues!.clone();
        using var scope = NewDisposeScope();
        var (x, y) = Batch(new[] { 4 }, 3, 1);
        m.ForwardTrain(x, y);
        // keep ratio 1: the container keeps its (already unit) rows
        Assert.True(m.ProxyContainerValues!.allclose(before, 1e-6, 1e-6));
        m.DiscardStep();
    }

    [Fact]
    public void UnknownMethodIsRejectedByName()
    {
        var ex = Assert.Throws<ArgumentException>(() => EnumNames.Parse<TrainingMethod>("lora"));
        Assert.Contains("'lora'", ex.Message);
        Assert.Contains("vptsp_g", ex.Message);
    }

    [Fact]
    public void FeatureDropoutAppliesInTrainingOnlyAndAvgPoolingChangesTheFeature()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Batch(new[] { 0, 1 }, 2, 8);
        var m = new MetricModel(TinyModels.Options("linear", c => c with { FeatureDropout = 0.5 }));
        m.train();
        var o = m.ForwardTrain(x, y);
        Assert.True(o.Embeddings.eq(Scalars.Zero).any().item<bool>(), "dropout zeroes some features");
        Assert.False(m.Embed(x).eq(Scalars.Zero).any().item<bool>());
        var avg = new MetricModel(TinyModels.Options("linear", c => c with { VitGlobalPooling = GlobalPooling.Avg }));
        var token = new MetricModel(TinyModels.Options("linear"));
        var ea = avg.Embed(x);
        Assert.True(ea.norm(1).allclose(ones(4), 1e-5, 1e-5));
        Assert.False(ea.allclose(token.Embed(x), 1e-3, 1e-3));
        m.Dispose();
        avg.Dispose();
        token.Dispose();
    }
}
