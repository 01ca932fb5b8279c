namespace VptSp.Core.Inference;

/// <summary>Chooses exact search for small galleries and HNSW above <see cref="EmbeddingIndexOptions.HnswThreshold"/>.</summary>
public static class EmbeddingIndexFactory
{
    public static IEmbeddingIndex Create(IReadOnlyList<float[]> gallery, EmbeddingIndexOptions? options = null)
    {
        options ??= new EmbeddingIndexOptions();
        if (gallery.Count == 0) throw new ArgumentException("the gallery is empty");
        return gallery.Count > options.HnswThreshold
            ? new HnswEmbeddingIndex(gallery, options)
            : new ExactEmbeddingIndex(gallery, options.Metric);
    }

    internal static void CheckQuery(float[] query, int dimension, int k)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Length != dimension)
            throw new ArgumentException($"the query has {query.Length} values but the gallery has dimension {dimension}");
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
    }
}
