using TorchSharp;
using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Core.Evaluation;

/// <summary>
/// The evaluation entry point. Embeddings are L2-normalised first; similarity is the inner product.
/// Keys, in order: recall@K for each K of the options, map@r, map@r_ref, then map@1000 and c_map@1000 when
/// asked for, then nmi and f1 when clustering is on. The query/gallery variant gives recall@K for
/// K = 1, 10, 20, 30, 40, 50, map (standard AP over the whole gallery) and map@50_ref (the reference's In-Shop MAP).
/// </summary>
public static class MetricSuite
{
    /// <summary>The ranking depth of the reference's mAP_1000.</summary>
    public const int ReferenceMapDepth = 1000;

    private static readonly Scalar One = 1.0.ToScalar();

    public static IReadOnlyDictionary<string, double> Evaluate(IReadOnlyList<float[]> embeddings, IReadOnlyList<int> labels,
        MetricSuiteOptions? options = null)
    {
        using var x = Embeddings.ToTensor(embeddings);
        return Evaluate(x, labels, options);
    }

    /// <summary>Self-retrieval metrics of N × E embeddings with one label per row (each query searches the other N − 1).</summary>
    public static IReadOnlyDictionary<string, double> Evaluate(Tensor embeddings, IReadOnlyList<int> labels,
        MetricSuiteOptions? options = null)
    {
        options ??= MetricSuiteOptions.Default;
        var n = CheckLabels(embeddings, labels, "embeddings");
        if (options.RecallKs.Count == 0 || options.RecallKs.Any(k => k < 1))
            throw new ArgumentException("recall K values must be ≥ 1");

        var classSize = new Dictionary<int, int>();
        foreach (var l in labels) classSize[l] = classSize.GetValueOrDefault(l) + 1;
        var mapAt1000 = options.MapAt1000 || options.CosineMapAt1000;
        var depth = Math.Max(Math.Max(options.RecallKs.Max(), classSize.Values.Max()), mapAt1000 ? ReferenceMapDepth : 0);

        var hits = new double[options.RecallKs.Count];
        double mapR = 0, mapRef = 0, map1000 = 0;
        var mapRCount = 0;
        using var x = Embeddings.L2Normalise(embeddings);
        NeighbourSearch.ForEachChunk(x, x, depth, excludeSelf: true, chunk =>
        {
            for (var r = 0; r < chunk.Indices.Length; r++)
            {
                var q = chunk.Start + r;
                var ranked = chunk.Indices[r].Select(j => labels[j]).ToArray();
                for (var i = 0; i < hits.Length; i++)
                    hits[i] += RetrievalMetrics.HitAtK(labels[q], ranked, options.RecallKs[i]);
                var size = classSize[labels[q]];
                if (RetrievalMetrics.RPrecisionMap(labels[q], ranked, size) is { } ap)
                {
                    mapR += ap;
                    mapRCount++;
                }
                mapRef += RetrievalMetrics.ReferenceMap(labels[q], ranked, size);
                if (mapAt1000) map1000 += RetrievalMetrics.ReferenceMapAt(labels[q], ranked, size, ReferenceMapDepth);
            }
        }, options.ChunkRows);

        var result = new OrderedDictionary<string, double>();
        for (var i = 0; i < hits.Length; i++) result[$"recall@{options.RecallKs[i]}"] = hits[i] / n;
        result["map@r"] = mapRCount == 0 ? 0 : mapR / mapRCount;
        result["map@r_ref"] = mapRef / n;
        if (options.MapAt1000) result["map@1000"] = map1000 / n;
        if (options.CosineMapAt1000) result["c_map@1000"] = map1000 / n;
        if (options.Clustering)
        {
            var clusters = Clustering.KMeans(x, classSize.Count, options.KMeansSeed, options.KMeansIterations, options.KMeansInit);
            result["nmi"] = ClusterMetrics.Nmi(labels, clusters);
            result["f1"] = ClusterMetrics.PairF1(labels, clusters);
        }
        return result;
    }

    public static IReadOnlyDictionary<string, double> EvaluateQueryGallery(IReadOnlyList<float[]> queries,
        IReadOnlyList<int> queryLabels, IReadOnlyList<float[]> gallery, IReadOnlyList<int> galleryLabels,
        IReadOnlyList<int>? recallKs = null, int chunkRows = NeighbourSearch.DefaultChunkRows)
    {
        using var q = Embeddings.ToTensor(queries);
        using var g = Embeddings.ToTensor(gallery);
        return EvaluateQueryGallery(q, queryLabels, g, galleryLabels, recallKs, chunkRows);
    }

    /// <summary>
    /// Query → gallery retrieval (In-Shop): recall@K over all queries; map, the mean average precision over
    /// each query's whole gallery ranking (ties to the lower gallery index); and map@{Kmax}_ref, the reference's
    /// MAP, which ranks only the top Kmax = max K gallery items (50 for In-Shop) and averages precision over
    /// the hits found there (<see cref="RetrievalMetrics.TopRankedAveragePrecision"/>). A query with no
    /// relevant gallery item counts as a miss and AP 0 in both.
    /// </summary>
    public static IReadOnlyDictionary<string, double> EvaluateQueryGallery(Tensor queries, IReadOnlyList<int> queryLabels,
        Tensor gallery, IReadOnlyList<int> galleryLabels, IReadOnlyList<int>? recallKs = null,
        int chunkRows = NeighbourSearch.DefaultChunkRows)
    {
        recallKs ??= MetricSuiteOptions.QueryGalleryKs;
        var nq = CheckLabels(queries, queryLabels, "queries");
        var ng = CheckLabels(gallery, galleryLabels, "gallery");
        if (queries.shape[1] != gallery.shape[1])
            throw new ArgumentException($"queries have dimension {queries.shape[1]} but the gallery has {gallery.shape[1]}");
        if (recallKs.Count == 0 || recallKs.Any(k => k < 1)) throw new ArgumentException("recall K values must be ≥ 1");

        var hits = new double[recallKs.Count];
        var refDepth = Math.Min(recallKs.Max(), ng);
        double apSum = 0, apRefSum = 0;
        using var noGrad = no_grad();
        using var q = Embeddings.L2Normalise(queries);
        using var g = Embeddings.L2Normalise(gallery);
        using var gLab = tensor(galleryLabels.Select(l => (long)l).ToArray(), device: g.device);
        using var ranks = TensorOps.Arange(1, ng + 1, dtype: ScalarType.Float64, device: g.device);
        for (var start = 0; start < nq; start += chunkRows)
        {
            var rows = Math.Min(chunkRows, nq - start);
            using var scope = NewDisposeScope();
            var sims = q.narrow(0, start, rows).mm(g.t());
            var (_, order) = sims.sort(dim: 1, descending: true, stable: true);
            var qLab = tensor(queryLabels.Skip(start).Take(rows).Select(l => (long)l).ToArray(), device: g.device).unsqueeze(1);
            var rel = gLab.index_select(0, order.flatten()).view(rows, ng).eq(qLab).to(ScalarType.Float64);
            var precision = rel.cumsum(1) / ranks;
            var ap = (precision * rel).sum(dim: 1) / rel.sum(dim: 1).clamp_min(Scalars.One);
            apSum += ap.sum().item<double>();
            var topRel = rel.narrow(1, 0, refDepth);
            var apRef = topRel.cumsum(1).div(ranks.narrow(0, 0, refDepth)).mul(topRel).sum(dim: 1).div(topRel.sum(dim: 1).clamp_min(One));
            apRefSum += apRef.sum().item<double>();
            for (var i = 0; i < recallKs.Count; i++)
                hits[i] += rel.narrow(1, 0, Math.Min(recallKs[i], ng)).amax(1).sum().item<double>();
        }

        var result = new OrderedDictionary<string, double>();
        for (var i = 0; i < hits.Length; i++) result[$"recall@{recallKs[i]}"] = hits[i] / nq;
        result["map"] = apSum / nq;
        result[$"map@{recallKs.Max()}_ref"] = apRefSum / nq;
        return result;
    }

    private static int CheckLabels(Tensor x, IReadOnlyList<int> labels, string what)
    {
        if (x.dim() != 2) throw new ArgumentException($"{what} must be N × E (got {x.dim()}-D)");
        var n = (int)x.shape[0];
        if (n == 0) throw new ArgumentException($"{what}: no rows");
        if (labels.Count != n) throw new ArgumentException($"{what}: {n} rows but {labels.Count} labels");
        return n;
    }
}
