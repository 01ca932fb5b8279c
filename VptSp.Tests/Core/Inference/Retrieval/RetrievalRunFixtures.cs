using VptSp.Core.Inference;
using VptSp.Core.Modeling;
using VptSp.Core.Training;
using VptSp.Tests.Support;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Inference.Retrieval;

/// <summary>Run directories with real artefacts of the 32 px test ViT (no training: trained tensors are seeded perturbations).</summary>
internal static class RetrievalRunFixtures
{
    public static ModelOptions Options(string method = Methods.Vpt, long seed = 3) => new()
    {
        Method = method,
        Backbone = "vit_test_patch8_32",
        EmbedDim = 16,
        NumClasses = 4,
        NumPrompt = 2,
        PromptDepth = 2,
        NumPPrompt = 2,
        PPromptDepth = 2,
        Adapter = new AdapterOptions { NumBlocks = 2, BottleneckDim = 4 },
        Seed = seed,
    };

    /// <summary>Writes a run directory (config, source, artefact) whose trained tensors are shifted by noise seeded with <paramref name="perturbation"/>.</summary>
    public static string MakeRun(string root, string name, SyntheticDataset data, ModelOptions options, int perturbation)
    {
        var dir = new RunDirectory(Path.Combine(root, name));
        dir.Create();
        dir.WriteConfig(SyntheticDataset.TinyConfig(options.Method));
        dir.WriteSource(new RunSource(data.Root, null, null));
        SaveArtefact(dir.ArtefactsDir, options, perturbation);
        return dir.Path;
    }

    public static void SaveArtefact(string artefactsDir, ModelOptions options, int perturbation)
    {
        using var model = new MetricModel(options);
        var gen = new Generator((ulong)perturbation);
        using (no_grad())
            foreach (var p in model.ModelParameters())
                p.add_(randn(p.shape, generator: gen) * 0.5);
        RunDirectory.ReplaceDirectory(artefactsDir, model.SaveArtefact);
    }

    /// <summary>Embeddings computed the plain way: the run's model loaded from its artefact on its own.</summary>
    public static Tensor DirectEmbeddings(string runDirectory, IReadOnlyList<string> images)
    {
        using var model = RunModelLoader.Load(runDirectory);
        return ImageFileEmbedding.Embed(new MetricModelEmbedder(model), images);
    }
}
