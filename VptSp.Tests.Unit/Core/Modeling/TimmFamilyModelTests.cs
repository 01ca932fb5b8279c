using VptSp.Core.Modeling;
using VptSp.Core.Runtime;
using VptSp.Core.Training;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Modeling;

/// <summary>Prompts with register tokens, and one training step of every method on a tiny model of each family.</summary>
public class TimmFamilyModelTests
{
    private static double MaxAbs(Tensor a, Tensor b) => a.sub(b).abs().max().item<float>();

    [Fact]
    public void PromptsJoinAfterClassAndRegisterTokensAndLeaveTheTokenCountUnchanged()
    {
        var fx = TimmFamilyFixture.Load("dinov2_reg4");
        var (vit, _) = fx.Import(fx.Spec("vit_small_patch14_reg4_dinov2"));
        using var v = vit;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var images = fx.Images();
        var prompts = new[] { randn(1, 3, 32, generator: new Generator(7)), randn(1, 2, 32, generator: new Generator(8)) };
        var spec = vit.Spec;
        Assert.Equal(5, spec.PrefixTokens);
        var tokens = vit.ForwardFeatures(images, i => prompts[i]);
        Assert.Equal(new long[] { 2, 1 + 4 + 4, 32 }, tokens.shape);   // class + 4 registers + 2×2 patches; prompts removed

        // timm-order insertion, written out: [class, registers, prompts, patches] through each block, prompt rows dropped after it
        var x = vit.EmbedTokens(images);
        Assert.Equal(9, x.shape[1]);
        for (var i = 0; i < spec.Depth; i++)
        {
            var p = prompts[i].expand(2, -1, -1);
            var n = p.shape[1];
            var y = vit.BlockAt(i).call(cat(new[] { x.narrow(1, 0, 5), p, x.narrow(1, 5, 4) }, 1));
            x = cat(new[] { y.narrow(1, 0, 5), y.narrow(1, 5 + n, 4) }, 1);
        }
        // ours prepends the prompts instead (attention is order-free, so the non-prompt rows must come out the same)
        var ours = vit.EmbedTokens(images);
        for (var i = 0; i < spec.Depth; i++) ours = vit.ForwardBlock(i, ours, prompts[i]);
        Assert.True(MaxAbs(x, ours) < 1e-5, $"max diff {MaxAbs(x, ours)}");

        // the class token is what the model reads: the short path's single token equals row 0, not a register or a prompt
        var cls = vit.ForwardFeatures(images, i => prompts[i], usedTokensOnly: true);
        Assert.Equal(new long[] { 2, 1, 32 }, cls.shape);
        Assert.True(MaxAbs(cls.select(1, 0), tokens.select(1, 0)) < 1e-5);
        Assert.True(MaxAbs(cls.select(1, 0), tokens.select(1, 1)) > 1e-2);
    }

    [Fact]
    public void AveragePoolingReadsThePatchTokensOnlyAsTimmsGlobalPoolAvg()
    {
        var fx = TimmFamilyFixture.Load("dinov2_reg4");
        var preset = "vit_small_patch14_reg4_dinov2";
        var config = TinyModels.Config("linear") with { PretrainedModel = preset };
        var options = ModelFactory.Options(config, 10, checkpoint: fx.ModelPath) with { GlobalPooling = GlobalPooling.Avg };
        using var m = new MetricModel(options, backboneSpec: fx.Spec(preset));
        using var scope = NewDisposeScope();
        var p = m.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        // timm's forward_features, pooled as global_pool='avg' (x[:, num_prefix_tokens:].mean(1)), then VptSp's fc_norm and head
        var tokens = tensor(fx.Expected("forward_features", out var shape), shape);
        var pooled = tokens.narrow(1, 5, shape[1] - 5).mean(new long[] { 1 });
        var normed = nn.functional.layer_norm(pooled, new long[] { 32 }, p["fc_norm.weight"], p["fc_norm.bias"], 1e-5);
        var expected = nn.functional.normalize(nn.functional.linear(normed, p["head.weight"], p["head.bias"]), dim: -1);
        var actual = m.Embed(fx.Images());
        Assert.True(MaxAbs(expected, actual) < 1e-5, $"max diff {MaxAbs(expected, actual)}");
    }

    public static TheoryData<string, string, string> FamiliesAndMethods()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (family, preset) in new[]
                 {
                     ("deit", "deit_small_patch16_224"), ("dinov2", "vit_small_patch14_dinov2"),
                     ("dinov2_reg4", "vit_small_patch14_reg4_dinov2"), ("clip_quickgelu", "vit_base_patch16_clip_quickgelu_224"),
                 })
        foreach (var method in new[] { "vptsp_g", "vpt", "linear", "bitfit", "adapter", "full" })
            data.Add(family, preset, method);
        return data;
    }

    [Theory]
    [MemberData(nameof(FamiliesAndMethods))]
    public void OneTrainingStepRunsOnATinyModelOfEachFamily(string family, string preset, string method)
    {
        var fx = TimmFamilyFixture.Load(family);
        var config = TinyModels.Config(method) with { PretrainedModel = preset };
        var options = ModelFactory.Options(config, 10, checkpoint: fx.ModelPath);
        using var m = new MetricModel(options, backboneSpec: fx.Spec(preset));
        Assert.False(string.IsNullOrEmpty(m.CheckpointSha256), "the family's timm weights were imported");
        m.train();
        var frozen = m.Backbone.named_parameters().Where(p => !p.parameter.requires_grad).Select(p => (p.name, v: p.parameter.clone())).ToList();
        var trainable = m.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, v: p.parameter.clone())).ToList();
        using var opt = optim.AdamW(m.ModelParameters().Concat(m.ProxyParameters()), 0.01);
        var loss = MetricLossFactory.Create(config);
        float value;
        var noGradient = new HashSet<string>();
        using (NewDisposeScope())
        {
            var images = randn(new long[] { 4, 3, fx.ImgSize, fx.ImgSize }, generator: new Generator(3));
            var labels = tensor(new long[] { 1, 1, 6, 6 });
            var l = loss.Forward(m.ForwardTrain(images, labels), labels);
            value = l.ReadSingle();
            opt.zero_grad();
            l.backward();
            // AdaptFormer's zero-initialised up-projection leaves its down-projection without a gradient on the first step
            foreach (var (name, p) in m.named_parameters().Where(p => p.parameter.requires_grad))
            {
                using var g = p.grad;
                if (g is null || g.abs().max().ReadSingle() == 0f) noGradient.Add(name);
            }
            opt.step();
            m.AfterStep(0.01);
        }
        Assert.True(float.IsFinite(value), $"{family}/{method}: loss {value}");
        var named = m.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.True(noGradient.Count < trainable.Count / 2, $"{family}/{method}: no gradient for {string.Join(", ", noGradient)}");
        Assert.All(trainable.Where(t => !noGradient.Contains(t.name)),
            t => Assert.False(named[t.name].allclose(t.v, 0, 0), $"{family}/{method}: {t.name} did not change"));
        var backbone = m.Backbone.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.All(frozen, f => Assert.True(backbone[f.name].allclose(f.v, 0, 0), $"{family}/{method}: frozen {f.name} changed"));
        if (method == "vptsp_g")
            Assert.Contains(m.TrainableNames(), n => n.StartsWith("p_prompts.", StringComparison.Ordinal));
    }
}
