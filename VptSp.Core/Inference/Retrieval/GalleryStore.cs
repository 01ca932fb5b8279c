using VptSp.Core.Data;
using VptSp.Core.Training;

namespace VptSp.Core.Inference.Retrieval;

/// <summary>
/// The embeddings of a completed run's evaluation images, stored beside the run in <c>&lt;run&gt;/gallery/</c>
/// (<c>gallery.json</c> + <c>gallery.safetensors</c>; for In-Shop also <c>query.*</c>) and reused while the run's
/// artefact fingerprint is unchanged. The gallery is the dataset's test split (In-Shop: its gallery split);
/// the query set is the same split (In-Shop: the query split).
/// </summary>
public static class GalleryStore
{
    public const string DirectoryName = "gallery";
    public const string GalleryRole = "gallery";
    public const string QueryRole = "query";

    public static string DirectoryOf(string runDirectory) => Path.Combine(runDirectory, DirectoryName);

    /// <summary>The dataset a run evaluated on, opened from the source path it recorded.</summary>
    public static DatasetInfo OpenDataset(string runDirectory)
    {
        var dir = new RunDirectory(runDirectory);
        var source = dir.ReadSource() ?? throw new FileNotFoundException($"run {dir.Path} has no source.json (where its data came from)");
        var config = dir.ReadConfig();
        return DatasetCatalog.Default.Open(source.SourcePath, config.Dataset);
    }

    /// <summary>The split a role stands for: gallery → test (In-Shop: gallery); query → test (In-Shop: query).</summary>
    public static DatasetSplit SplitFor(DatasetInfo data, string role) =>
        role == QueryRole ? data.Evaluation.Query : data.Evaluation.Gallery;

    /// <summary>True when the query set is a separate split (In-Shop); otherwise queries are the gallery itself.</summary>
    public static bool HasSeparateQueries(DatasetInfo data) => !ReferenceEquals(data.Evaluation.Query, data.Evaluation.Gallery);

    /// <summary>
    /// The stored embeddings of <paramref name="role"/> when they match <paramref name="artefact"/>'s fingerprint;
    /// otherwise embeds the split with <paramref name="embedder"/> and stores the result.
    /// </summary>
    /// <param name="dataset">Opens the run's dataset only when embeddings must be computed.</param>
    public static StoredEmbeddings GetOrBuild(RunArtefact artefact, string role, IImageEmbedder embedder, Func<DatasetInfo> dataset,
        int batchSize = 64, int workers = 1, CancellationToken cancellationToken = default)
    {
        var dir = DirectoryOf(artefact.RunDirectory);
        var stored = StoredEmbeddings.TryLoad(dir, role, artefact.Fingerprint);
        if (stored is not null) return stored;
        var data = dataset();
        var split = SplitFor(data, role);
        if (split.Count == 0) throw new InvalidDataException($"the {split.Name} split of {data.Name} has no images");
        var embeddings = EmbeddingExtractor.Embed(embedder, split, batchSize, workers, cancellationToken: cancellationToken);
        var info = new StoredEmbeddingsInfo(StoredEmbeddingsInfo.CurrentFormat, role, artefact.Fingerprint, data.Name, split.Name,
            split.Count, (int)embeddings.shape[1], split.ClassNames,
            split.Samples.Select(s => new StoredImage(s.Path, s.Label)).ToList(), DateTimeOffset.UtcNow);
        var result = new StoredEmbeddings(info, embeddings);
        result.Save(dir);
        return result;
    }
}
