using static TorchSharp.torch;

namespace VptSp.Core.Inference.Retrieval;

/// <summary>
/// A stored gallery with its index: exact search at once, and above <see cref="EmbeddingIndexOptions.HnswThreshold"/>
/// an HNSW index built in the background (one thread) that replaces the exact one when ready. Thread-safe.
/// </summary>
public sealed class SearchableGallery : IDisposable
{
    private readonly ExactEmbeddingIndex _exact;
    private volatile HnswEmbeddingIndex? _hnsw;
    private volatile bool _disposed;

    public SearchableGallery(StoredEmbeddings gallery, EmbeddingIndexOptions options)
    {
        Gallery = gallery;
        Rows = ToRows(gallery.Embeddings);
        _exact = new ExactEmbeddingIndex(Rows, options.Metric);
        if (gallery.Count > options.HnswThreshold)
        {
            HnswBuild = Task.Run(() =>
            {
                var hnsw = new HnswEmbeddingIndex(Rows, options);
                if (_disposed) hnsw.Dispose();
                else _hnsw = hnsw;
            });
        }
    }

    public StoredEmbeddings Gallery { get; }

    /// <summary>The embeddings as rows (what the indexes were built from).</summary>
    public IReadOnlyList<float[]> Rows { get; }

    /// <summary>The background HNSW build, when the gallery is large enough to get one.</summary>
    public Task? HnswBuild { get; }

    /// <summary>The index searches use now ("exact" until an HNSW build finishes).</summary>
    public IEmbeddingIndex Index => (IEmbeddingIndex?)_hnsw ?? _exact;

    public IReadOnlyList<SearchHit> Search(float[] query, int k)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Index.Search(query, k);
    }

    private static float[][] ToRows(Tensor embeddings)
    {
        var n = (int)embeddings.shape[0];
        var d = (int)embeddings.shape[1];
        var flat = embeddings.contiguous().data<float>().ToArray();
        var rows = new float[n][];
        for (var i = 0; i < n; i++) rows[i] = flat.AsSpan(i * d, d).ToArray();
        return rows;
    }

    public void Dispose()
    {
        _disposed = true;
        _hnsw?.Dispose();
        _exact.Dispose();
        Gallery.Dispose();
    }
}
