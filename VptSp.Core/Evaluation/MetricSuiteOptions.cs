namespace VptSp.Core.Evaluation;

/// <summary>What <see cref="MetricSuite"/> computes.</summary>
public sealed record MetricSuiteOptions
{
    /// <summary>The K of recall@K, in the order the keys appear (CUB/Cars: 1, 2, 4, 8).</summary>
    public IReadOnlyList<int> RecallKs { get; init; } = [1, 2, 4, 8];

    /// <summary>Run k-means (k = number of classes) for nmi and f1; slow on large sets.</summary>
    public bool Clustering { get; init; } = true;

    /// <summary>faiss's default seed, which the reference's k-means keeps whatever the run's seed.</summary>
    public int KMeansSeed { get; init; } = VptSp.Core.Evaluation.Clustering.FaissSeed;

    /// <summary>How k-means picks its first centres (the reference: faiss's random data points).</summary>
    public KMeansInit KMeansInit { get; init; } = KMeansInit.FaissRandom;

    /// <summary>Also report the reference's <c>mAP_1000</c> as map@1000 (see <see cref="RetrievalMetrics.ReferenceMapAt"/>).</summary>
    public bool MapAt1000 { get; init; }

    /// <summary>
    /// Also report the reference's <c>c_mAP_1000</c> as c_map@1000: the same quantity over cosine neighbours,
    /// which on L2-normalised embeddings (always the case here) equals map@1000.
    /// </summary>
    public bool CosineMapAt1000 { get; init; }

    public int KMeansIterations { get; init; } = VptSp.Core.Evaluation.Clustering.DefaultIterations;

    /// <summary>Query rows per similarity chunk (memory ≈ ChunkRows × N floats).</summary>
    public int ChunkRows { get; init; } = NeighbourSearch.DefaultChunkRows;

    public static MetricSuiteOptions Default { get; } = new();

    /// <summary>Stanford Online Products as the reference's SOP configs ask: recall@{1,10,100} (their f1 needs clustering, set it when wanted).</summary>
    public static MetricSuiteOptions Sop { get; } = new() { RecallKs = [1, 10, 100], Clustering = false };

    /// <summary>In-Shop query → gallery recall@K; the largest K is also the depth of the reference's MAP.</summary>
    public static IReadOnlyList<int> QueryGalleryKs { get; } = [1, 10, 20, 30, 40, 50];
}
