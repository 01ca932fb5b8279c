using System.Text.Json.Nodes;
using VptSp.Core.MetricLearning;
using VptSp.Core.Modeling;
using VptSp.Core.Training;
using VptSp.Core.Training.Optimization;

namespace VptSp.Tests.Core.Training;

/// <summary>Keys that select behaviour are enums in memory and the reference's strings in YAML, JSON and stored run rows.</summary>
public class StoredConfigEnumTests
{
    /// <summary>A run row's ConfigJson as written before these keys were enums (a non-default value for each).</summary>
    private const string StoredJson = """
        {"name":"old-row","dataset":"cub200","data_sampler":"random_class","augmentation":"none","optim":"adamw",
         "scheduler":"multi","loss":"cross_entropy","loss_oproxy_mode":"nca","proxy_data_range":"both_all",
         "vit_global_pooling":"avg","adapter_option":"sequential","adapter_ln_position":"pre","adapter_init_option":"bert",
         "proxy_net_head":"shared","semantic_mix_type":"mix","lr":0.002,"n_epochs":3,"lr_reduce_multi_steps":[1,2]}
        """;

    [Fact]
    public void OldStoredConfigJsonWithStringsLoadsAsEnums()
    {
        var c = TrainingConfigYaml.FromJson(StoredJson);
        Assert.Equal(DataSampler.RandomClass, c.DataSampler);
        Assert.Equal(AugmentationKind.None, c.Augmentation);
        Assert.Equal(OptimizerKind.AdamW, c.Optim);
        Assert.Equal(SchedulerKind.Multi, c.Scheduler);
        Assert.Equal(LossKind.CrossEntropy, c.Loss);
        Assert.Equal(ProxyLossMode.Nca, c.LossOproxyMode);
        Assert.Equal(ProxyDataRange.BothAll, c.ProxyDataRange);
        Assert.Equal(GlobalPooling.Avg, c.VitGlobalPooling);
        Assert.Equal(AdapterPlacement.Sequential, c.AdapterOption);
        Assert.Equal(AdapterLnPosition.Pre, c.AdapterLnPosition);
        Assert.Equal(AdapterInit.Bert, c.AdapterInitOption);
        Assert.Equal(ProxyNetHead.Shared, c.ProxyNetHead);
        Assert.Equal(SemanticMixType.Mix, c.SemanticMixType);
    }

    [Fact]
    public void StoredConfigJsonReadsBackWithTheSameStrings()
    {
        var stored = JsonNode.Parse(StoredJson)!.AsObject();
        var written = JsonNode.Parse(TrainingConfigYaml.FromJson(StoredJson).ToJson())!.AsObject();
        foreach (var (key, value) in stored)
            Assert.True(JsonNode.DeepEquals(value, written[key]), $"{key}: stored {value?.ToJsonString()}, written {written[key]?.ToJsonString()}");
        Assert.Equal("adamw", written["optim"]!.GetValue<string>());
        Assert.Equal("in_batch", JsonNode.Parse(new TrainingConfig().ToJson())!["proxy_data_range"]!.GetValue<string>());
    }

    [Fact]
    public void ConfigYamlWrittenByARunSpellsChoicesAsTheReferenceAndReadsBackIdentically()
    {
        var c = TrainingConfigYaml.FromJson(StoredJson);
        var yaml = c.ToYaml();
        foreach (var line in new[] { "loss: cross_entropy", "optim: adamw", "scheduler: multi", "semantic_mix_type: mix",
                     "vit_global_pooling: avg", "proxy_data_range: both_all", "loss_oproxy_mode: nca", "data_sampler: random_class" })
            Assert.Contains(line + Environment.NewLine, yaml);
        Assert.Empty(TrainingConfigYaml.Diff(c, TrainingConfigYaml.Parse(yaml)));
        Assert.Equal(yaml, TrainingConfigYaml.Parse(yaml).ToYaml());
    }

    [Theory]
    [InlineData("optim: rmsprop\n", "optim", "sgd, adamw, adam")]
    [InlineData("loss: triplet\n", "loss", "dml_proxy_peft, dml_proxy, cross_entropy")]
    [InlineData("scheduler: Cosine\n", "scheduler", "cosine, step, multi, linear, none")]
    [InlineData("semantic_mix_type: lstm\n", "semantic_mix_type", "gru, gru_relu, mix")]
    [InlineData("vit_global_pooling: max\n", "vit_global_pooling", "token, avg")]
    public void ABadChoiceNamesTheKeyAndListsTheAllowedValues(string yaml, string key, string allowed)
    {
        var ex = Assert.Throws<ConfigException>(() => TrainingConfigYaml.Parse(yaml));
        Assert.Equal(key, ex.Key);
        Assert.Contains($"is not one of: {allowed}", ex.Message);
    }

    [Fact]
    public void ChoiceKeysOfferTheirSpellingsAsAllowedValues()
    {
        Assert.Equal(["sgd", "adamw", "adam"], ConfigKeys.Find("optim").Allowed);
        Assert.Equal(["in_batch", "both_all"], ConfigKeys.Find("proxy_data_range").Allowed);
        Assert.Contains("cub200", ConfigKeys.Find("dataset").Allowed);
    }
}
