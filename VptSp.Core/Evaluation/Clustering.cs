using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Core.Evaluation;

/// <summary>Seeded k-means (k-means++ initialisation, Lloyd iterations) on the rows of a tensor.</summary>
public static class Clustering
{
    public const int DefaultIterations = 20;
    private const int ChunkRows = 1024;

    /// <summary>Cluster id of every row after <paramref name="iterations"/> Lloyd steps. An empty cluster keeps its centre.</summary>
    public static int[] KMeans(Tensor x, int k, int seed = 0, int iterations = DefaultIterations)
    {
        if (x.dim() != 2) throw new ArgumentException($"k-means needs a 2-D tensor (got {x.dim()}-D)");
        var n = (int)x.shape[0];
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (k > n) throw new ArgumentException($"k-means with k = {k} needs at least {k} rows (got {n})");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var data = x.to(ScalarType.Float32).contiguous();
        var centres = KMeansPlusPlus(data, k, seed);
        var assign = Assign(data, centres);
        for (var it = 0; it < iterations; it++)
        {
            var sums = zeros(k, data.shape[1], device: data.device).index_add_(0, assign, data, Scalars.One);
            var counts = zeros(k, device: data.device).index_add_(0, assign, ones(n, device: data.device), Scalars.One);
            var nonEmpty = counts.gt(Scalars.Zero).unsqueeze(1);
            centres = where(nonEmpty, sums / counts.clamp_min(Scalars.One).unsqueeze(1), centres);
            var next = Assign(data, centres);
            var changed = next.ne(assign).any().item<bool>();
            assign = next;
            if (!changed) break;
        }
        return assign.cpu().data<long>().ToArray().Select(v => (int)v).ToArray();
    }

    /// <summary>k-means++: the first centre uniform, each next one drawn with probability ∝ squared distance to the nearest chosen centre.</summary>
    private static Tensor KMeansPlusPlus(Tensor data, int k, int seed)
    {
        var n = (int)data.shape[0];
        var rng = new Random(seed);
        var chosen = new long[k];
        chosen[0] = rng.Next(n);
        var minDist = SquaredDistanceTo(data, data[chosen[0]]).to(ScalarType.Float64).cpu().data<double>().ToArray();
        for (var c = 1; c < k; c++)
        {
            var total = minDist.Sum();
            long pick = n - 1;
            if (total <= 0)
                pick = rng.Next(n);
            else
            {
                var u = rng.NextDouble() * total;
                var acc = 0.0;
                for (var i = 0; i < n; i++)
                {
                    acc += minDist[i];
                    if (acc >= u && minDist[i] > 0) { pick = i; break; }
                }
            }
            chosen[c] = pick;
            using var step = NewDisposeScope();
            var dNew = SquaredDistanceTo(data, data[pick]).to(ScalarType.Float64).cpu().data<double>().ToArray();
            for (var i = 0; i < n; i++) minDist[i] = Math.Min(minDist[i], dNew[i]);
        }
        return data.index_select(0, tensor(chosen, device: data.device));
    }

    private static Tensor SquaredDistanceTo(Tensor data, Tensor row) => (data - row.unsqueeze(0)).pow(Scalars.Two).sum(dim: 1);

    /// <summary>Nearest centre of every row (squared L2; ties to the lower centre), chunked over rows.</summary>
    private static Tensor Assign(Tensor data, Tensor centres)
    {
        var n = (int)data.shape[0];
        var cNorm = centres.pow(Scalars.Two).sum(dim: 1).unsqueeze(0);
        var parts = new List<Tensor>();
        for (var s = 0; s < n; s += ChunkRows)
        {
            var rows = Math.Min(ChunkRows, n - s);
            var chunk = data.narrow(0, s, rows);
            var dist = cNorm - chunk.mm(centres.t()).mul(Scalars.Two);
            parts.Add(dist.argmin(dim: 1));
        }
        return cat(parts, 0);
    }
}
