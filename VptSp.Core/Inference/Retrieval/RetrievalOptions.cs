namespace VptSp.Core.Inference.Retrieval;

/// <summary>What embeds an uploaded query image: the run's TorchSharp model, or its ONNX export in ONNX Runtime (CPU).</summary>
public enum QueryEngine
{
    Torch,
    Onnx,
}

/// <summary>Bounds and settings of a <see cref="RetrievalEngine"/>.</summary>
public sealed record RetrievalOptions
{
    /// <summary>Pooled models (frozen backbones) kept in memory.</summary>
    public int MaxBackbones { get; init; } = 2;

    /// <summary>Runs (artefact tensors + gallery embeddings + index) kept in memory.</summary>
    public int MaxGalleries { get; init; } = 4;

    /// <summary>Index settings (HNSW above <see cref="EmbeddingIndexOptions.HnswThreshold"/> rows).</summary>
    public EmbeddingIndexOptions Index { get; init; } = new();

    /// <summary>Batch size when embedding a gallery.</summary>
    public int EmbedBatchSize { get; init; } = 32;

    /// <summary>Decoding threads when embedding a gallery (kept low: searches share the machine with training).</summary>
    public int EmbedWorkers { get; init; } = 1;

    /// <summary>Neighbours shown per failed query in the failure gallery.</summary>
    public int FailureNeighbours { get; init; } = 5;

    /// <summary>Worst queries kept per class in the failure gallery.</summary>
    public int FailuresPerClass { get; init; } = 3;

    /// <summary>
    /// What embeds uploaded queries. Galleries are always embedded (once, stored) by the TorchSharp model; with
    /// <see cref="QueryEngine.Onnx"/> a run's model is exported in memory on its first query and run by ONNX Runtime.
    /// </summary>
    public QueryEngine QueryEngine { get; init; } = QueryEngine.Torch;
}
