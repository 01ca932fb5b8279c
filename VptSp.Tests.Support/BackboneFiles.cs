using TorchSharp;
using VptSp.Core.Modeling;

namespace VptSp.Tests.Support;

/// <summary>Backbone checkpoints for tests: a preset's ViT with a seeded random initialisation, saved as timm-named safetensors.</summary>
public static class BackboneFiles
{
    /// <summary>Writes <paramref name="preset"/>'s weights (seeded by <paramref name="seed"/>) to <paramref name="path"/> and returns the path.</summary>
    public static string WriteSeeded(string path, string preset = "vit_test_patch8_32", long seed = 1)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(seed);
        using var vit = new VisionTransformer(VitPresets.Get(preset));
        TorchSharp.PyBridge.Safetensors.SaveStateDict(path, vit.state_dict());
        return path;
    }
}
