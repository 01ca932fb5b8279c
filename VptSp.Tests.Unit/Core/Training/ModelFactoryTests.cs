using System.Reflection;
using VptSp.Core.MetricLearning;
using VptSp.Core.Modeling;
using VptSp.Core.Training;

namespace VptSp.Tests.Core.Training;

/// <summary>The model's options come only from the config: there are no second defaults to disagree with it.</summary>
public class ModelFactoryTests
{
    /// <summary>ModelOptions members named differently from their TrainingConfig property.</summary>
    private static readonly Dictionary<string, string> Renamed = new()
    {
        ["Backbone"] = nameof(TrainingConfig.PretrainedModel),
        ["GlobalPooling"] = nameof(TrainingConfig.VitGlobalPooling),
        ["SgdMomentum"] = nameof(TrainingConfig.SdgMomentum),
    };

    /// <summary>Same-named but different things: the resolved checkpoint path (config: gradient checkpointing), the adapter
    /// settings (config: the adapter flag), the bank (config flag plus the reference's automatic switch).</summary>
    private static readonly HashSet<string> NotMirrored = [nameof(ModelOptions.Checkpoint), nameof(ModelOptions.Adapter), nameof(ModelOptions.PromptMemoryBank)];

    [Fact]
    public void AModelBuiltFromTheConfigDefaultsHasTheConfigsValues()
    {
        var c = new TrainingConfig();
        var o = ModelFactory.Options(c, numClasses: 7);
        Assert.Equal(c.NumPrompt, o.NumPrompt);
        Assert.Equal(10, o.NumPrompt);
        Assert.Equal(c.ProxyBiasRatio, o.ProxyBiasRatio);
        Assert.Equal(0.5, o.ProxyBiasRatio);
        Assert.Equal(c.PPromptDepth, o.PPromptDepth);
        Assert.Equal(c.Optim, o.Optim);
        Assert.Equal(c.Method, o.Method);
        Assert.Equal(7, o.NumClasses);
        Assert.Equal(new AdapterOptions(c.AdapterOption, c.AdapterNumBlocks, c.AdapterBottleneckDim, c.AdapterScalar,
            c.AdapterLnPosition, c.AdapterInitOption, 0, c.AdapterAttention), o.Adapter);
        Assert.Equal(AdapterAttention.Reference, o.Adapter.Attention);
    }

    [Fact]
    public void EveryModelOptionNamedLikeAConfigKeyCarriesThatKeysValue()
    {
        var c = SyntheticConfig();
        var o = ModelFactory.Options(c, numClasses: 3);
        var compared = 0;
        foreach (var p in typeof(ModelOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = Renamed.GetValueOrDefault(p.Name, p.Name);
            var source = typeof(TrainingConfig).GetProperty(name);
            if (source is null || NotMirrored.Contains(p.Name)) continue;
            var expected = source.PropertyType == p.PropertyType ? source.GetValue(c) : Convert.ChangeType(source.GetValue(c), p.PropertyType);
            Assert.True(Equals(expected, p.GetValue(o)), $"{p.Name} differs from the config's {name}");
            compared++;
        }
        Assert.True(compared >= 18, $"only {compared} options compared");
    }

    [Fact]
    public void EveryModelOptionIsRequired()
    {
        // Trainable alone may be absent: a manifest written before it existed reads as what its method trained then
        foreach (var p in typeof(ModelOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.Name != nameof(ModelOptions.Trainable)))
            Assert.True(p.IsDefined(typeof(System.Runtime.CompilerServices.RequiredMemberAttribute)), $"{p.Name} is not required");
    }

    [Fact]
    public void TheFactoryValidatesAtTheConfigBoundary()
    {
        var ex = Assert.Throws<ConfigException>(() => ModelFactory.Options(new TrainingConfig { ProxyBiasRatio = 2 }, 3));
        Assert.Equal("proxy_bias_ratio", ex.Key);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelFactory.Options(new TrainingConfig(), 0));
    }

    [Fact]
    public void TheLossFactoryChoosesByTheLossKey()
    {
        Assert.IsType<NormalizedSoftmaxLoss>(MetricLossFactory.Create(new TrainingConfig { Loss = LossKind.CrossEntropy }));
        var proxy = Assert.IsType<ProxyAnchorLoss>(MetricLossFactory.Create(new TrainingConfig
        {
            Loss = LossKind.DmlProxy, ProxyDataRange = ProxyDataRange.BothAll, LossOproxyMode = ProxyLossMode.Nca, LossOproxyPosAlpha = 7,
        }));
        Assert.Equal(ProxyDataRange.BothAll, proxy.Options.Range);
        Assert.Equal(ProxyLossMode.Nca, proxy.Options.Mode);
        Assert.Equal(7, proxy.Options.PosAlpha);
    }

    /// <summary>A config whose model-relevant values all differ from the defaults.</summary>
    private static TrainingConfig SyntheticConfig() => new()
    {
        PretrainedModel = "vit_test_patch8_32", EmbedDim = 24, VitPrompt = true, VitProxyNet = true, ProxyMixBias = true, VitBitfit = true,
        NumPrompt = 3, PromptDepth = 2, PromptBlockStep = 1, NumPPrompt = 2, PPromptDepth = 1, PromptPBlockStep = 1,
        SemanticMixType = SemanticMixType.Gru, ProxyMixKeepRatio = 0.7, RnnDropout = 0.1, ProxyBiasRatio = 0.3, FeatureDropout = 0.2,
        VitGlobalPooling = GlobalPooling.Avg, Bf16 = Bf16Mode.On, Optim = VptSp.Core.Training.Optimization.OptimizerKind.Adam, Decay = 0.01,
        SdgMomentum = 0.8, Seed = 11,
    };
}
