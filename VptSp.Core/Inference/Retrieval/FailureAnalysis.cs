using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Core.Inference.Retrieval;

/// <summary>A neighbour of a failed query: gallery row, similarity, its class and whether that is the query's class.</summary>
public sealed record FailureNeighbour(int Index, float Score, int Label, bool Correct);

/// <summary>A query whose nearest neighbour has another class: where its first correct match ranks and what came before.</summary>
public sealed record FailedQuery(int QueryIndex, int Label, int FirstCorrectRank, float BestCorrectScore, IReadOnlyList<FailureNeighbour> Neighbours);

/// <summary>One test class: its Recall@1 over its queries and its worst queries.</summary>
public sealed record ClassFailures(int Label, string ClassName, int Queries, double RecallAt1, IReadOnlyList<FailedQuery> Worst);

/// <summary>Per-class Recall@1, classes sorted from worst to best.</summary>
public sealed record FailureReport(int Queries, double RecallAt1, bool QueriesAreGallery, IReadOnlyList<ClassFailures> Classes);

/// <summary>
/// The failure gallery of a run: for each test class its Recall@1, and its worst queries (first correct match ranked
/// lowest, then the widest gap to the wrong top match) with their nearest neighbours. Exact search in row chunks.
/// </summary>
public static class FailureAnalysis
{
    public static FailureReport Analyse(Tensor queries, IReadOnlyList<int> queryLabels, Tensor gallery, IReadOnlyList<int> galleryLabels,
        IReadOnlyList<string> classNames, bool queriesAreGallery, int neighbours = 5, int worstPerClass = 3, int chunkRows = 256)
    {
        var n = (int)queries.shape[0];
        var g = (int)gallery.shape[0];
        if (queryLabels.Count != n || galleryLabels.Count != g) throw new ArgumentException("labels and embeddings differ in count");
        if (queriesAreGallery && n != g) throw new ArgumentException("queries that are the gallery must have as many rows");
        var k = Math.Min(neighbours, queriesAreGallery ? g - 1 : g);
        var failed = new List<FailedQuery>();
        var hits = new int[classNames.Count];
        var counts = new int[classNames.Count];
        using var noGrad = no_grad();
        using var gLabels = tensor(galleryLabels.Select(l => (long)l).ToArray());
        for (var start = 0; start < n && k > 0; start += chunkRows)
        {
            var rows = Math.Min(chunkRows, n - start);
            using var scope = NewDisposeScope();
            var sims = queries.narrow(0, start, rows).mm(gallery.t()).contiguous();
            if (queriesAreGallery)
            {
                var self = TensorOps.Arange(start, start + rows, dtype: ScalarType.Int64).unsqueeze(1);
                sims.scatter_(1, self, full(rows, 1, Scalars.NegativeInfinity, dtype: sims.dtype));
            }
            var qLabels = tensor(queryLabels.Skip(start).Take(rows).Select(l => (long)l).ToArray()).unsqueeze(1);
            var correct = gLabels.unsqueeze(0).eq(qLabels);
            var (bestCorrect, _) = sims.masked_fill(correct.logical_not(), Scalars.NegativeInfinity).max(1);
            var ranks = (sims > bestCorrect.unsqueeze(1)).sum(1).Plus(Scalars.OneLong);
            var (topScores, topIdx) = sims.topk(k, dim: 1);
            var best = bestCorrect.data<float>().ToArray();
            var rank = ranks.data<long>().ToArray();
            var scores = topScores.data<float>().ToArray();
            var idx = topIdx.data<long>().ToArray();
            for (var r = 0; r < rows; r++)
            {
                var label = queryLabels[start + r];
                counts[label]++;
                if (float.IsNegativeInfinity(best[r])) continue; // no other image of its class: counted, never a hit
                if (rank[r] == 1)
                {
                    hits[label]++;
                    continue;
                }
                var list = new List<FailureNeighbour>(k);
                for (var j = 0; j < k; j++)
                {
                    var gi = (int)idx[r * k + j];
                    list.Add(new FailureNeighbour(gi, scores[r * k + j], galleryLabels[gi], galleryLabels[gi] == label));
                }
                failed.Add(new FailedQuery(start + r, label, (int)rank[r], best[r], list));
            }
        }
        var byClass = failed.GroupBy(f => f.Label).ToDictionary(
            grp => grp.Key,
            grp => (IReadOnlyList<FailedQuery>)grp.OrderByDescending(f => f.FirstCorrectRank)
                .ThenByDescending(f => f.Neighbours[0].Score - f.BestCorrectScore).Take(worstPerClass).ToList());
        var classes = Enumerable.Range(0, classNames.Count).Where(c => counts[c] > 0)
            .Select(c => new ClassFailures(c, classNames[c], counts[c], (double)hits[c] / counts[c],
                byClass.TryGetValue(c, out var w) ? w : []))
            .OrderBy(c => c.RecallAt1).ThenBy(c => c.Label).ToList();
        var total = counts.Sum();
        return new FailureReport(total, total == 0 ? 0 : (double)hits.Sum() / total, queriesAreGallery, classes);
    }
}
