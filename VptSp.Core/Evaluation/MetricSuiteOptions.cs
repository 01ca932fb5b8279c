namespace VptSp.Core.Evaluation;

/// <summary>What <see cref="MetricSuite"/> computes.</summary>
public sealed record MetricSuiteOptions
{
    /// <summary>The K of recall@K, in the order the keys appear (CUB/Cars: 1, 2, 4, 8).</summary>
    public IReadOnlyList<int> RecallKs { get; init; } = [1, 2, 4, 8];

    /// <summary>Run k-means (k = number of classes) for nmi and f1; slow on large sets.</summary>
    public bool Clustering { get; init; } = true;

    public int KMeansSeed { get; init; }

    public int KMeansIterations { get; init; } = VptSp.Core.Evaluation.Clustering.DefaultIterations;

    /// <summary>Query rows per similarity chunk (memory ≈ ChunkRows × N floats).</summary>
    public int ChunkRows { get; init; } = NeighbourSearch.DefaultChunkRows;

    public static MetricSuiteOptions Default { get; } = new();

    /// <summary>Stanford Online Products: recall@{1,2,4,8,10,100,1000}, no clustering (11,316 classes).</summary>
    public static MetricSuiteOptions Sop { get; } = new() { RecallKs = [1, 2, 4, 8, 10, 100, 1000], Clustering = false };

    /// <summary>In-Shop query → gallery recall@K.</summary>
    public static IReadOnlyList<int> QueryGalleryKs { get; } = [1, 10, 20, 30, 40, 50];
}
