using VptSp.Core.Training;
using VptSp.Tests.Support;
using VptSp.Core.MetricLearning;
using VptSp.Core.Modeling;
using VptSp.Core.Runtime;
using VptSp.Core.Training.Optimization;

namespace VptSp.Tests.Core.Training;

public class TrainingConfigTests
{
    public static IEnumerable<object[]> ReferenceConfigs() =>
        Directory.EnumerateFiles(TestPaths.ReferenceConfigsDir, "*.yaml").Order().Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(ReferenceConfigs))]
    public void EveryReferenceConfigLoadsAsItIs(string file)
    {
        var config = TrainingConfigYaml.Load(Path.Combine(TestPaths.ReferenceConfigsDir, file));
        Assert.Equal(TrainingMethod.VptspG, config.Method);
        Assert.True(config.VitProxyNet);
        Assert.Equal(ProxyDataRange.BothAll, config.ProxyDataRange);
    }

    [Fact]
    public void ReferenceCub200SmallValuesMapOneToOne()
    {
        var c = TrainingConfigYaml.Load(Path.Combine(TestPaths.ReferenceConfigsDir, "cub200_small.yaml"));
        Assert.Equal(64, c.BatchSize);
        Assert.Equal("cub200", c.Dataset);
        Assert.Equal(1e-6, c.Decay);
        Assert.Equal(384, c.EmbedDim);
        Assert.Equal(5, c.EvalStart);
        Assert.Equal(0.005, c.Lr);
        Assert.Equal(50, c.LrCosineLength);
        Assert.Equal(1e-8, c.LrCosineMin);
        Assert.Equal(0.1, c.LrProxy);
        Assert.Equal(15, c.NEpochs);
        Assert.Equal(3, c.NumPPrompt);
        Assert.Equal(10, c.NumPrompt);
        Assert.Equal(OptimizerKind.Sgd, c.Optim);
        Assert.Equal(12, c.PPromptDepth);
        Assert.Equal("vit_small_patch16_224_in21k", c.PretrainedModel);
        Assert.Equal(0.5, c.ProxyBiasRatio);
        Assert.Equal(SemanticMixType.GruRelu, c.SemanticMixType);
        Assert.Equal(2, c.SamplesPerClass);
        Assert.True(c.MixPrecision);
        Assert.Equal(32, c.ClassesPerBatch);
    }

    public static IEnumerable<object[]> Presets() =>
        new ConfigPresets(Path.Combine(TestPaths.RepoRoot, "configs")).Names.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Presets))]
    public void EveryPresetLoads(string name)
    {
        var presets = new ConfigPresets(Path.Combine(TestPaths.RepoRoot, "configs"));
        var config = presets.Load(name);
        Assert.False(string.IsNullOrEmpty(config.Dataset));
    }

    [Fact]
    public void PresetsCoverEveryReferenceConfigAndEveryDemoMethod()
    {
        var names = new ConfigPresets(Path.Combine(TestPaths.RepoRoot, "configs")).Names;
        foreach (var reference in ReferenceConfigs().Select(r => Path.GetFileNameWithoutExtension((string)r[0])))
            Assert.Contains(reference, names);
        var presets = new ConfigPresets(Path.Combine(TestPaths.RepoRoot, "configs"));
        var methods = new[] { "linear", "vpt", "bitfit", "adapter", "full", "vptsp_g" };
        foreach (var m in methods)
            Assert.Equal(m, presets.Load("emoji_" + m).Method.Name());
    }

    [Fact]
    public void PlainYamlLoadsWithDefaultsForMissingKeys()
    {
        var c = TrainingConfigYaml.Parse("dataset: cars196\nn_epochs: 3\nlr_reduce_multi_steps: [2, 5]\n");
        Assert.Equal("cars196", c.Dataset);
        Assert.Equal(3, c.NEpochs);
        Assert.Equal(new[] { 2, 5 }, c.LrReduceMultiSteps);
        Assert.Equal(64, c.BatchSize);
    }

    [Theory]
    [InlineData("n_epoch: 3\n", "n_epoch", "did you mean 'n_epochs'")]
    [InlineData("batch_size: many\n", "batch_size", "expected an integer")]
    [InlineData("lr: fast\n", "lr", "expected a number")]
    [InlineData("vit_prompt: maybe\n", "vit_prompt", "expected a boolean")]
    [InlineData("optim: rmsprop\n", "optim", "not one of")]
    [InlineData("batch_size: 30\nsamples_per_class: 4\n", "batch_size", "not divisible by samples_per_class")]
    [InlineData("prompt_memory_bank: true\nvit_proxy_net: false\n", "prompt_memory_bank", "needs vit_proxy_net")]
    [InlineData("proxy_bias_ratio: 1.5\n", "proxy_bias_ratio", "within [0, 1]")]
    [InlineData("n_epochs: [1, 2]\n", "n_epochs", "not a list")]
    [InlineData("augmentation: adv\n", "augmentation", "ColorJitter")]
    [InlineData("vit_proxy_net: true\nproxy_mix_bias: false\nsimple_proxies: true\nvit_prompt: true\n", "proxy_mix_bias", "simple_proxies path")]
    [InlineData("vit_proxy_net: true\nproxy_mix_bias: true\n", "vit_proxy_net", "needs vit_prompt")]
    [InlineData("augmentation: auto\n", "augmentation", "AutoAugment")]
    [InlineData("augmentation: big\n", "augmentation", "256 px")]
    [InlineData("augmentation: v2\n", "augmentation", "RandomPerspective")]
    [InlineData("augmentation: fancy\n", "augmentation", "not one of")]
    [InlineData("evaluation_metrics: [e_recall@1, rho_spectrum@1]\n", "evaluation_metrics", "unknown metric 'rho_spectrum@1'")]
    [InlineData("evaluation_metrics: [e_recall@x]\n", "evaluation_metrics", "no valid K")]
    [InlineData("storage_metrics: [nmi]\nevaluation_metrics: [e_recall@1]\n", "storage_metrics", "not among evaluation_metrics")]
    [InlineData("storage_metrics: [mAP_1000]\n", "storage_metrics", "not among evaluation_metrics")]
    [InlineData("storage_metrics: [e_recall@4]\nevaluation_metrics: [e_recall@1]\n", "storage_metrics", "not among evaluation_metrics")]
    [InlineData("dataset: inshop\nstorage_metrics: [e_recall@4]\n", "storage_metrics", "1, 10, 20, 30, 40, 50")]
    [InlineData("dataset: inshop\nstorage_metrics: [nmi]\n", "storage_metrics", "not reported for In-Shop")]
    public void BadConfigsNameTheKey(string yaml, string key, string fragment)
    {
        var ex = Assert.Throws<ConfigException>(() => TrainingConfigYaml.Parse(yaml));
        Assert.Equal(key, ex.Key);
        Assert.Contains($"'{key}'", ex.Message);
        Assert.Contains(fragment, ex.Message);
    }

    [Fact]
    public void InvalidYamlSaysWhere()
    {
        var ex = Assert.Throws<FormatException>(() => TrainingConfigYaml.Parse("lr: [1, 2\nn_epochs: 3\n"));
        Assert.Contains("invalid YAML", ex.Message);
    }

    [Fact]
    public void OverridesApplyTypedValuesAndValidate()
    {
        var c = new TrainingConfig().WithOverrides(new Dictionary<string, string> { ["n_epochs"] = "1", ["optim"] = "adamw", ["vit_bitfit"] = "true" });
        Assert.Equal(1, c.NEpochs);
        Assert.Equal(OptimizerKind.AdamW, c.Optim);
        Assert.Equal(TrainingMethod.BitFit, c.Method);
        Assert.Throws<ConfigException>(() => c.WithOverrides(new Dictionary<string, string> { ["samples_per_class"] = "5" }));
    }

    [Fact]
    public void YamlAndJsonRoundTripEveryKey()
    {
        var c = TrainingConfigYaml.Load(Path.Combine(TestPaths.ReferenceConfigsDir, "sop_small.yaml"))
            with { Name = "a: b", BackboneCheckpoint = "" };
        var viaYaml = TrainingConfigYaml.Parse(c.ToYaml());
        var viaJson = TrainingConfigYaml.FromJson(c.ToJson());
        Assert.Empty(TrainingConfigYaml.Diff(c, viaYaml));
        Assert.Empty(TrainingConfigYaml.Diff(c, viaJson));
        Assert.Equal(1e-4, viaJson.Decay);
        Assert.Equal(new[] { "rnn_dropout" }, viaJson.NamingAttributes);
    }

    [Fact]
    public void DiffListsOnlyKeysThatDiffer()
    {
        var a = new TrainingConfig();
        var b = a with { Lr = 0.01, NEpochs = 2 };
        var diff = TrainingConfigYaml.Diff(a, b);
        Assert.Equal(new[] { "n_epochs", "lr" }, diff.Select(d => d.Key).ToArray());
        Assert.Equal(("lr", "0.001", "0.01"), diff[1]);
    }

    [Fact]
    public void PresetsResolveNamesAndRejectPaths()
    {
        var presets = new ConfigPresets(Path.Combine(TestPaths.RepoRoot, "configs"));
        Assert.Equal("cub200", presets.Resolve("cub200_small").Dataset);
        Assert.Equal(2, presets.Resolve("dataset: emoji\nn_epochs: 2").NEpochs);
        Assert.Throws<ArgumentException>(() => presets.Load("../secrets"));
        Assert.Contains("no preset named", Assert.Throws<ArgumentException>(() => presets.Resolve("nope")).Message);
    }
}
