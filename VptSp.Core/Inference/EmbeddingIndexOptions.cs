namespace VptSp.Core.Inference;

/// <summary>Similarity of an <see cref="IEmbeddingIndex"/>.</summary>
public enum IndexMetric
{
    /// <summary>Cosine similarity: rows and queries are L2-normalised.</summary>
    Cosine,

    /// <summary>Raw inner product (equal to cosine for L2-normalised embeddings).</summary>
    InnerProduct,
}

/// <summary>How <see cref="EmbeddingIndexFactory"/> builds an index.</summary>
public sealed record EmbeddingIndexOptions
{
    public IndexMetric Metric { get; init; } = IndexMetric.Cosine;

    /// <summary>Galleries with more rows than this get an HNSW index; smaller ones exact search.</summary>
    public int HnswThreshold { get; init; } = 100_000;

    /// <summary>HNSW graph degree (USearch connectivity).</summary>
    public int Connectivity { get; init; } = 16;

    /// <summary>Candidate list size while building (USearch expansion_add).</summary>
    public int ExpansionAdd { get; init; } = 64;

    /// <summary>Candidate list size while searching (USearch expansion_search); raises recall and latency.</summary>
    public int ExpansionSearch { get; init; } = 64;
}
