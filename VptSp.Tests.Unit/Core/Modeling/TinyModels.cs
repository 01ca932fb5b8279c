using VptSp.Core.Modeling;

namespace VptSp.Tests.Core.Modeling;

/// <summary>Tiny seeded model options for tests: ViT 32 px, patch 8, width 32, depth 2; E = 16; C = 10 classes.</summary>
internal static class TinyModels
{
    public static ModelOptions Options(string method, int numClasses = 10) => new()
    {
        Method = method,
        Backbone = "vit_test_patch8_32",
        EmbedDim = 16,
        NumClasses = numClasses,
        NumPrompt = 4,
        PromptDepth = 2,
        PromptBlockStep = 1,
        NumPPrompt = 3,
        PPromptDepth = 2,
        PromptPBlockStep = 1,
        SemanticMixType = "gru_relu",
        ProxyBiasRatio = 0.2,
        Adapter = new AdapterOptions(NumBlocks: 1, BottleneckDim: 8),
        Seed = 3,
    };
}
