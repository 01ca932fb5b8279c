using System.Globalization;
using System.Text;
using TorchSharp.PyBridge;
using VptSp.Core.Diagnostics;
using VptSp.Core.Inference;
using VptSp.Core.Inference.Retrieval;
using static TorchSharp.torch;

namespace VptSp.Core.Export;

/// <summary>What a portable-embeddings export wrote.</summary>
public sealed record PortableEmbeddingsResult(string Directory, int Count, int Dimension);

/// <summary>
/// A run's gallery (its test split) as files any tool reads: <c>embeddings.safetensors</c> (<c>embeddings</c> float32 N×E,
/// L2-normalised; <c>labels</c> int64 N) and <c>items.csv</c> (<c>index,path,label</c>). Reuses the run's stored gallery
/// embeddings (<see cref="GalleryStore"/>) when they match its artefact, else computes and stores them first.
/// </summary>
public static class PortableEmbeddings
{
    public const string TensorFile = "embeddings.safetensors";
    public const string ItemsFile = "items.csv";
    public const string EmbeddingsTensor = "embeddings";
    public const string LabelsTensor = "labels";

    public static PortableEmbeddingsResult ExportRun(string runDirectory, string outputDirectory)
    {
        var runDir = Path.GetFullPath(runDirectory);
        if (!Directory.Exists(runDir)) throw new DirectoryNotFoundException($"no run folder at {runDir}");
        CheckOutput(Path.GetFullPath(outputDirectory));
        using var artefact = RunArtefact.Load(runDir);
        using var stored = StoredEmbeddings.TryLoad(GalleryStore.DirectoryOf(runDir), GalleryStore.GalleryRole, artefact.Fingerprint)
                           ?? Build(artefact);
        Write(stored, Path.GetFullPath(outputDirectory));
        return new PortableEmbeddingsResult(Path.GetFullPath(outputDirectory), stored.Count, stored.Info.Dimension);
    }

    /// <summary>The export replaces its folder whole: refuse a folder that holds anything but an earlier export's two files.</summary>
    private static void CheckOutput(string directory)
    {
        if (File.Exists(directory)) throw new UserFacingException($"the output {directory} is a file; give a folder for --format embeddings");
        if (!Directory.Exists(directory)) return;
        var other = Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName)
            .FirstOrDefault(n => n is not (TensorFile or ItemsFile));
        if (other is not null)
            throw new UserFacingException($"the output folder {directory} holds other files ({other}); choose a new or empty folder");
    }

    private static StoredEmbeddings Build(RunArtefact artefact)
    {
        using var model = RunModelLoader.Load(artefact.RunDirectory);
        return GalleryStore.GetOrBuild(artefact, GalleryStore.GalleryRole, new MetricModelEmbedder(model),
            () => GalleryStore.OpenDataset(artefact.RunDirectory));
    }

    /// <summary>Writes both files into a temporary sibling of <paramref name="directory"/>, then swaps it in.</summary>
    public static void Write(StoredEmbeddings stored, string directory)
    {
        Training.RunDirectory.ReplaceDirectory(directory, tmp =>
        {
            using var scope = NewDisposeScope();
            var labels = tensor(stored.Info.Images.Select(i => (long)i.Label).ToArray(), ScalarType.Int64);
            Safetensors.SaveStateDict(Path.Combine(tmp, TensorFile), new Dictionary<string, Tensor>
            {
                [EmbeddingsTensor] = stored.Embeddings.to(ScalarType.Float32).contiguous(),
                [LabelsTensor] = labels,
            });
            var csv = new StringBuilder("index,path,label\n");
            for (var i = 0; i < stored.Info.Images.Count; i++)
            {
                var item = stored.Info.Images[i];
                csv.Append(i.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Quote(item.Path)).Append(',')
                    .Append(item.Label.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            File.WriteAllText(Path.Combine(tmp, ItemsFile), csv.ToString());
        });
    }

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
