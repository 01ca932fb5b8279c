namespace VptSp.Core.Inference;

/// <summary>One search result: the gallery row and its similarity (cosine or inner product; higher is closer).</summary>
public readonly record struct SearchHit(int Index, float Score);

/// <summary>A searchable gallery of embeddings. Search is safe to call from many threads at once.</summary>
public interface IEmbeddingIndex : IDisposable
{
    /// <summary>Number of gallery rows.</summary>
    int Count { get; }

    /// <summary>Embedding dimension.</summary>
    int Dimension { get; }

    /// <summary>"exact" or "hnsw".</summary>
    string Kind { get; }

    /// <summary>The up-to-<paramref name="k"/> most similar gallery rows, best first.</summary>
    IReadOnlyList<SearchHit> Search(float[] query, int k);
}
