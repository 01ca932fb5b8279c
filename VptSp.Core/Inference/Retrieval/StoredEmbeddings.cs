using System.Text.Json;
using TorchSharp.PyBridge;
using VptSp.Core.Modeling.Checkpoints;
using static TorchSharp.torch;

namespace VptSp.Core.Inference.Retrieval;

/// <summary>One stored image of a gallery (or query set): its file and class.</summary>
public sealed record StoredImage(string Path, int Label);

/// <summary>
/// What <c>&lt;run&gt;/gallery/&lt;role&gt;.json</c> records beside <c>&lt;role&gt;.safetensors</c>: the images in row order, the
/// class names, and the fingerprint of the artefact the embeddings were computed with.
/// </summary>
public sealed record StoredEmbeddingsInfo(
    string Format,
    string Role,
    string Fingerprint,
    string Dataset,
    string Split,
    int Count,
    int Dimension,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<StoredImage> Images,
    DateTimeOffset CreatedAt)
{
    public const string CurrentFormat = "vptsp-gallery/1";
}

/// <summary>Embeddings (N×E float32, L2-normalised, CPU) of a split with their images and labels.</summary>
public sealed class StoredEmbeddings : IDisposable
{
    private const string TensorName = "embeddings";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public StoredEmbeddings(StoredEmbeddingsInfo info, Tensor embeddings)
    {
        if (embeddings.dim() != 2 || embeddings.shape[0] != info.Count || embeddings.shape[1] != info.Dimension)
            throw new ArgumentException($"embeddings [{string.Join(", ", embeddings.shape)}] do not match {info.Count} × {info.Dimension}");
        Info = info;
        Embeddings = embeddings;
    }

    public StoredEmbeddingsInfo Info { get; }
    public Tensor Embeddings { get; }
    public int Count => Info.Count;

    public static string JsonPath(string dir, string role) => Path.Combine(dir, role + ".json");
    public static string TensorPath(string dir, string role) => Path.Combine(dir, role + ".safetensors");

    /// <summary>Writes both files (under temporary names, then renamed: the JSON last, so it never names missing embeddings).</summary>
    public void Save(string dir)
    {
        Directory.CreateDirectory(dir);
        var tensorPath = TensorPath(dir, Info.Role);
        var jsonPath = JsonPath(dir, Info.Role);
        Safetensors.SaveStateDict(tensorPath + ".tmp", new Dictionary<string, Tensor> { [TensorName] = Embeddings.contiguous() });
        File.WriteAllText(jsonPath + ".tmp", JsonSerializer.Serialize(Info, Json));
        File.Move(tensorPath + ".tmp", tensorPath, overwrite: true);
        File.Move(jsonPath + ".tmp", jsonPath, overwrite: true);
    }

    /// <summary>Only the JSON part (images, labels, class names) when it exists and matches <paramref name="fingerprint"/>; otherwise null.</summary>
    public static StoredEmbeddingsInfo? TryReadInfo(string dir, string role, string fingerprint)
    {
        var jsonPath = JsonPath(dir, role);
        if (!File.Exists(jsonPath)) return null;
        try
        {
            var info = JsonSerializer.Deserialize<StoredEmbeddingsInfo>(File.ReadAllText(jsonPath), Json);
            return info is not null && info.Format == StoredEmbeddingsInfo.CurrentFormat && info.Fingerprint == fingerprint ? info : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The stored set of <paramref name="role"/> when it exists, is readable and was computed with <paramref name="fingerprint"/>; otherwise null.</summary>
    public static StoredEmbeddings? TryLoad(string dir, string role, string fingerprint)
    {
        var jsonPath = JsonPath(dir, role);
        var tensorPath = TensorPath(dir, role);
        if (!File.Exists(jsonPath) || !File.Exists(tensorPath)) return null;
        StoredEmbeddingsInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<StoredEmbeddingsInfo>(File.ReadAllText(jsonPath), Json);
        }
        catch (JsonException)
        {
            return null;
        }
        if (info is null || info.Format != StoredEmbeddingsInfo.CurrentFormat || info.Fingerprint != fingerprint || info.Images.Count != info.Count)
            return null;
        var tensors = StateDictReader.ReadSafetensors(tensorPath);
        Tensor? embeddings = null;
        foreach (var (name, t) in tensors)
        {
            if (name == TensorName) embeddings = t.DetachFromDisposeScope();
            else t.Dispose();
        }
        if (embeddings is null || embeddings.dtype != ScalarType.Float32 || embeddings.dim() != 2
            || embeddings.shape[0] != info.Count || embeddings.shape[1] != info.Dimension)
        {
            embeddings?.Dispose();
            return null;
        }
        return new StoredEmbeddings(info, embeddings);
    }

    public void Dispose() => Embeddings.Dispose();
}
