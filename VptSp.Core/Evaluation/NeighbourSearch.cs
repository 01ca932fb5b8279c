using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Core.Evaluation;

/// <summary>
/// Exact k-nearest-neighbour search by inner product, computed in row chunks so that no
/// queries × gallery matrix larger than <c>chunkRows × gallery</c> ever exists. Callers pass
/// L2-normalised rows when they want cosine similarity. Ordering: higher score first, ties go to the
/// lower gallery index. With <c>excludeSelf</c> query i never retrieves gallery row i (queries and
/// gallery are then the same set).
/// </summary>
public static class NeighbourSearch
{
    public const int DefaultChunkRows = 256;

    /// <summary>One chunk of results: rows <see cref="Start"/> … Start + Indices.Length − 1 of the queries.</summary>
    public sealed record Chunk(int Start, int[][] Indices, float[][] Scores);

    /// <summary>All rows' top-k neighbours at once (convenience over <see cref="ForEachChunk"/>).</summary>
    public static (int[][] Indices, float[][] Scores) TopK(Tensor queries, Tensor gallery, int k, bool excludeSelf,
        int chunkRows = DefaultChunkRows)
    {
        var n = (int)queries.shape[0];
        var indices = new int[n][];
        var scores = new float[n][];
        ForEachChunk(queries, gallery, k, excludeSelf, chunk =>
        {
            for (var r = 0; r < chunk.Indices.Length; r++)
            {
                indices[chunk.Start + r] = chunk.Indices[r];
                scores[chunk.Start + r] = chunk.Scores[r];
            }
        }, chunkRows);
        return (indices, scores);
    }

    /// <summary>
    /// Streams the top-k of every query row, chunk by chunk. k is clamped to the number of candidates
    /// (gallery size, minus one with <paramref name="excludeSelf"/>).
    /// </summary>
    public static void ForEachChunk(Tensor queries, Tensor gallery, int k, bool excludeSelf, Action<Chunk> onChunk,
        int chunkRows = DefaultChunkRows)
    {
        CheckShapes(queries, gallery, excludeSelf);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        var n = (int)queries.shape[0];
        var g = (int)gallery.shape[0];
        var kk = Math.Min(k, excludeSelf ? g - 1 : g);
        if (kk <= 0)
        {
            for (var s = 0; s < n; s += chunkRows)
            {
                var rows = Math.Min(chunkRows, n - s);
                onChunk(new Chunk(s, Enumerable.Range(0, rows).Select(_ => Array.Empty<int>()).ToArray(),
                    Enumerable.Range(0, rows).Select(_ => Array.Empty<float>()).ToArray()));
            }
            return;
        }

        using var noGrad = no_grad();
        for (var start = 0; start < n; start += chunkRows)
        {
            var rows = Math.Min(chunkRows, n - start);
            using var scope = NewDisposeScope();
            var sims = queries.narrow(0, start, rows).to(ScalarType.Float32)
                .mm(gallery.to(ScalarType.Float32).t()).contiguous();
            if (excludeSelf)
            {
                var self = TensorOps.Arange(start, start + rows, dtype: ScalarType.Int64, device: sims.device).unsqueeze(1);
                sims.scatter_(1, self, full(rows, 1, Scalars.NegativeInfinity, dtype: sims.dtype, device: sims.device));
            }
            onChunk(SelectTopK(sims, start, kk));
        }
    }

    /// <summary>Top-k of each row of a rows × g score matrix, exact ties resolved to the lower column.</summary>
    internal static Chunk SelectTopK(Tensor sims, int start, int k)
    {
        var rows = (int)sims.shape[0];
        var cols = (int)sims.shape[1];
        // One extra place tells whether the k-th score is tied with a score left out.
        var probe = Math.Min(k + 1, cols);
        var (values, idx) = sims.topk(probe, dim: 1, largest: true, sorted: true);
        var all = values.cpu().data<float>().ToArray();
        var allIds = idx.cpu().data<long>().ToArray();
        var vals = new float[rows * k];
        var ids = new long[rows * k];
        var ambiguous = new bool[rows];
        for (var r = 0; r < rows; r++)
        {
            Array.Copy(all, r * probe, vals, r * k, k);
            Array.Copy(allIds, r * probe, ids, r * k, k);
            ambiguous[r] = probe > k && all[r * probe + k] == all[r * probe + k - 1];
        }

        var outIdx = new int[rows][];
        var outScore = new float[rows][];
        for (var r = 0; r < rows; r++)
        {
            if (ambiguous[r])
            {
                // More tied candidates at the k-th score than places left: a stable sort of the row decides.
                using var row = sims[r];
                var (sv, si) = row.sort(dim: 0, descending: true, stable: true);
                using (sv)
                using (si)
                {
                    outScore[r] = sv.narrow(0, 0, k).cpu().data<float>().ToArray();
                    outIdx[r] = si.narrow(0, 0, k).cpu().data<long>().ToArray().Select(x => (int)x).ToArray();
                }
                continue;
            }
            // The candidate set is exact; only the order among equal scores needs fixing.
            var pairs = new (float Score, int Index)[k];
            for (var j = 0; j < k; j++) pairs[j] = (vals[r * k + j], (int)ids[r * k + j]);
            Array.Sort(pairs, static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Index.CompareTo(b.Index));
            outScore[r] = pairs.Select(p => p.Score).ToArray();
            outIdx[r] = pairs.Select(p => p.Index).ToArray();
        }
        return new Chunk(start, outIdx, outScore);
    }

    private static void CheckShapes(Tensor queries, Tensor gallery, bool excludeSelf)
    {
        if (queries.dim() != 2 || gallery.dim() != 2)
            throw new ArgumentException($"queries and gallery must be 2-D (got {queries.dim()}-D and {gallery.dim()}-D)");
        if (queries.shape[1] != gallery.shape[1])
            throw new ArgumentException($"queries have dimension {queries.shape[1]} but the gallery has {gallery.shape[1]}");
        if (excludeSelf && queries.shape[0] != gallery.shape[0])
            throw new ArgumentException("excludeSelf needs queries and gallery to be the same set");
    }
}
