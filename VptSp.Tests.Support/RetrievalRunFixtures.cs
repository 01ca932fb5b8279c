using TorchSharp;
using VptSp.Core.Inference;
using VptSp.Core.Modeling;
using VptSp.Core.Training;
using VptSp.Tests.Support;
using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Tests.Core.Inference.Retrieval;

/// <summary>Run directories with real artefacts of the 32 px test ViT (no training: trained tensors are seeded perturbations).</summary>
internal static class RetrievalRunFixtures
{
    /// <summary>The tiny config's model for <paramref name="method"/> over 4 classes (vptsp_g with its class prompts in the bank).</summary>
    public static ModelOptions Options(string method = "vpt", long seed = 3) =>
        ModelFactory.Options(SyntheticDataset.TinyConfig(method == "vptsp_g" ? "vptsp_g_bank" : method) with { Seed = (int)seed, ProxyBiasRatio = 0.1 },
            numClasses: 4);

    /// <summary>Writes a run directory (config, source, artefact) whose trained tensors are shifted by noise seeded with <paramref name="perturbation"/>.</summary>
    public static string MakeRun(string root, string name, SyntheticDataset data, ModelOptions options, int perturbation) =>
        MakeRun(root, name, data.Root, "folder", options, perturbation);

    public static string MakeRun(string root, string name, string sourceRoot, string dataset, ModelOptions options, int perturbation)
    {
        var dir = new RunDirectory(Path.Combine(root, name));
        dir.Create();
        dir.WriteConfig(SyntheticDataset.TinyConfig(options.Method.Name()).WithOverrides(new Dictionary<string, string> { ["dataset"] = dataset }));
        dir.WriteSource(new RunSource(sourceRoot, null, null));
        SaveArtefact(dir.ArtefactsDir, options, perturbation);
        return dir.Path;
    }

    public static void SaveArtefact(string artefactsDir, ModelOptions options, int perturbation)
    {
        using var model = new MetricModel(options);
        var gen = new Generator((ulong)perturbation);
        using (no_grad())
            foreach (var p in model.ModelParameters())
                p.PlusInPlace(randn(p.shape, generator: gen).mul(Scalars.Half));
        RunDirectory.ReplaceDirectory(artefactsDir, model.SaveArtefact);
    }

    /// <summary>
    /// An In-Shop layout (list_eval_partition.txt + img/) over the synthetic images: the first half of the classes
    /// train; of each other class, the first half of its images are queries and the rest gallery.
    /// </summary>
    public static string MakeInShop(string root, SyntheticDataset data)
    {
        var dir = Directory.CreateDirectory(Path.Combine(root, "src", "inshop")).FullName;
        var classes = Directory.GetDirectories(data.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var lines = new List<string>();
        for (var c = 0; c < classes.Count; c++)
        {
            var images = Directory.GetFiles(Path.Combine(data.Root, classes[c]!)).Order(StringComparer.Ordinal).ToList();
            Directory.CreateDirectory(Path.Combine(dir, "img", classes[c]!));
            for (var i = 0; i < images.Count; i++)
            {
                var relative = $"img/{classes[c]}/{Path.GetFileName(images[i])}";
                File.Copy(images[i], Path.Combine(dir, relative));
                var status = c < classes.Count / 2 ? "train" : i < images.Count / 2 ? "query" : "gallery";
                lines.Add($"{relative} id_{c:D8} {status}");
            }
        }
        File.WriteAllLines(Path.Combine(dir, "list_eval_partition.txt"), [lines.Count.ToString(), "image_name item_id evaluation_status", .. lines]);
        return Path.Combine(root, "src");
    }

    /// <summary>Embeddings computed the plain way: the run's model loaded from its artefact on its own.</summary>
    public static Tensor DirectEmbeddings(string runDirectory, IReadOnlyList<string> images)
    {
        using var model = RunModelLoader.Load(runDirectory);
        return ImageFileEmbedding.Embed(new MetricModelEmbedder(model), images);
    }
}
