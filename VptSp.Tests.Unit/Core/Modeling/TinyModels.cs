using VptSp.Core.Modeling;
using VptSp.Core.Runtime;
using VptSp.Core.Training;
using VptSp.Core.Training.Optimization;

namespace VptSp.Tests.Core.Modeling;

/// <summary>Tiny seeded models for tests, built through <see cref="ModelFactory"/>: ViT 32 px, patch 8, width 32, depth 2; E = 16; C = 10 classes.</summary>
internal static class TinyModels
{
    public static ModelOptions Options(string method, int numClasses = 10) => ModelFactory.Options(Config(method), numClasses);

    /// <summary>The model of the tiny config for <paramref name="method"/> after <paramref name="change"/>.</summary>
    public static ModelOptions Options(string method, Func<TrainingConfig, TrainingConfig> change, int numClasses = 10) =>
        ModelFactory.Options(change(Config(method)), numClasses);

    /// <summary>The adapter options the config gives: its defaults with <c>adapter: true</c> and the backbone's attention (the tiny ViT's width 32 does not divide by 12), then <paramref name="overrides"/> (config keys).</summary>
    public static AdapterOptions Adapter(params (string Key, string Value)[] overrides) =>
        ModelFactory.Options(new TrainingConfig { Adapter = true, AdapterAttention = AdapterAttention.Backbone }.WithOverrides(overrides.ToDictionary(o => o.Key, o => o.Value)), 10).Adapter;

    /// <summary>The tiny config that trains <paramref name="method"/> (vptsp_g: BitFit on, class prompts in the bank).</summary>
    public static TrainingConfig Config(string method)
    {
        EnumNames.Parse<TrainingMethod>(method); // an unknown name is an error, not a linear model
        return new TrainingConfig
        {
            PretrainedModel = "vit_test_patch8_32",
            BackboneCheckpoint = "random",
            EmbedDim = 16,
            NumPrompt = 4,
            PromptDepth = 2,
            PromptBlockStep = 1,
            NumPPrompt = 3,
            PPromptDepth = 2,
            PromptPBlockStep = 1,
            SemanticMixType = SemanticMixType.GruRelu,
            ProxyBiasRatio = 0.2,
            AdapterNumBlocks = 1,
            AdapterBottleneckDim = 8,
            Optim = OptimizerKind.AdamW,
            Seed = 3,
            FullFineTune = method == "full",
            Adapter = method == "adapter",
            AdapterAttention = AdapterAttention.Backbone,   // the tiny ViT's width 32 does not divide by the reference's 12 heads
            VitPrompt = method is "vpt" or "vptsp_g",
            VitProxyNet = method == "vptsp_g",
            ProxyMixBias = method == "vptsp_g",
            PromptMemoryBank = method == "vptsp_g",
            VitBitfit = method is "bitfit" or "vptsp_g",
        };
    }
}
