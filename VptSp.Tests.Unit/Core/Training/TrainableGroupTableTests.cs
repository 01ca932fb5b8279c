using VptSp.Core.Modeling;
using VptSp.Core.Modeling.Checkpoints;
using VptSp.Core.Training;
using VptSp.Tests.Core.Modeling;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Training;

/// <summary>The one table of trainable groups (<see cref="TrainableGroupTable"/>): compositions as the reference's, refusals by key.</summary>
public class TrainableGroupTableTests
{
    private const string Tiny = "vit_test_patch8_32";

    [Theory]
    [InlineData("vit_proxy_net: true\nproxy_mix_bias: true\n", "vit_proxy_net")]
    [InlineData("full_fine_tune: true\nadapter: true\nadapter_attention: backbone\n", "adapter")]
    [InlineData("full_fine_tune: true\nvit_bitfit: true\n", "vit_bitfit")]
    [InlineData("adapter: true\nadapter_attention: backbone\nvit_bitfit: true\n", "vit_bitfit")]
    [InlineData("vit_head: false\nembed_dim: 16\n", "embed_dim")]
    [InlineData("adapter: true\n", "adapter_attention")]
    public void ACombinationTheReferenceCannotRunIsRefusedNamingTheKey(string yaml, string key)
    {
        var e = Assert.Throws<ConfigException>(() => TrainingConfigYaml.Parse($"pretrained_model: {Tiny}\n" + yaml));
        Assert.Equal(key, e.Key);
    }

    [Fact]
    public void EachFlagAddsItsGroupAndTheyCompose()
    {
        var c = new TrainingConfig { PretrainedModel = Tiny, VitPrompt = true, VitBitfit = true, VitHead = false, EmbedDim = 32 };
        var g = TrainableGroupTable.Resolve(c);
        Assert.Equal(new TrainableGroups(Backbone: false, Head: false, SharedPrompts: true, Biases: true, Adapter: false, ProxyNet: false), g);
        Assert.Equal(["biases (BitFit)", "shared prompts", "proxy bias (lr_proxy)"], g.Names);
        Assert.Equal(TrainingMethod.Vpt, c.Method);
        Assert.Equal("biases (BitFit), shared prompts, proxy bias (lr_proxy)", TrainableGroupTable.Describe(c));
        Assert.StartsWith("refused: config key 'vit_bitfit'", TrainableGroupTable.Describe(c with { FullFineTune = true }));
    }

    [Fact]
    public void PromptsWithBitFitTrainThePromptsAndEveryBias()
    {
        var o = TinyModels.Options("vpt", c => c with { VitBitfit = true });
        using var model = new MetricModel(o);
        var names = model.TrainableNames();
        Assert.Contains("prompts.0", names);
        Assert.Contains("backbone.blocks.0.attn.qkv.bias", names);
        Assert.Contains("backbone.norm.bias", names);
        Assert.DoesNotContain("backbone.blocks.0.attn.qkv.weight", names);
    }

    [Fact]
    public void WithoutTheHeadTheEmbeddingIsThePooledNormedFeature()
    {
        var o = TinyModels.Options("bitfit", c => c with { VitHead = false, EmbedDim = 32 });
        using var model = new MetricModel(o);
        Assert.DoesNotContain(model.named_parameters(), p => p.name.StartsWith("head.", StringComparison.Ordinal) || p.name.StartsWith("fc_norm.", StringComparison.Ordinal));
        using var scope = NewDisposeScope();
        var x = randn(3, 3, 32, 32, generator: new TorchSharp.torch.Generator(5));
        var expected = nn.functional.normalize(model.Backbone.ForwardFeatures(x).select(1, 0), dim: -1);
        Assert.True(model.Embed(x).allclose(expected, 1e-6, 1e-6));
    }

    [Fact]
    public void TheReferenceAdapterBlockHasTwelveHeadsNoQkvBiasAndDropsThePretrainedOne()
    {
        var spec = VitPresets.Get("vit_test_w48_patch8_32");
        using var plain = new VisionTransformer(spec);
        var adapter = TinyModels.Adapter(("adapter_num_blocks", "1"), ("adapter_bottleneck_dim", "4")) with { Attention = AdapterAttention.Reference };
        using var adapted = new VisionTransformer(spec, adapter);
        var keys = adapted.state_dict().Keys.ToHashSet();
        Assert.Contains("blocks.0.attn.qkv.bias", keys);
        Assert.DoesNotContain("blocks.1.attn.qkv.bias", keys);
        // a timm checkpoint's qkv bias of the adapted block is dropped, not reported as unexpected
        var report = CheckpointImporter.Import(adapted, plain.state_dict(), "plain");
        Assert.Equal(["blocks.1.attn.qkv.bias"], report.Dropped);
    }
}
