using TorchSharp;
using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Core.Evaluation;

/// <summary>How k-means picks its first centres.</summary>
public enum KMeansInit
{
    /// <summary>faiss's <c>Clustering</c> default, which the reference uses: k distinct data points from a seeded random permutation.</summary>
    FaissRandom,

    /// <summary>k-means++ (first centre uniform, then ∝ squared distance to the nearest chosen centre); for comparison only.</summary>
    PlusPlus,
}

/// <summary>The outcome of <see cref="Clustering.Fit"/>: each row's cluster, the k × d centres, and the empty clusters split per iteration.</summary>
public sealed record KMeansResult(int[] Assignments, float[][] Centroids, int[] SplitsPerIteration);

/// <summary>
/// k-means on the rows of a tensor, as the reference computes NMI and F1: faiss's <c>Clustering</c> with
/// 20 iterations, seed 1234, every point used (min 1, no subsampling), random initial centres drawn from the
/// data, and faiss's rule for empty clusters; the labels are each row's nearest final centre. Each iteration
/// assigns every row to its nearest centre (squared L2; ties to the lower centre), moves each centre to the
/// mean of its rows and then splits empty clusters: an empty cluster takes a copy of a donor picked by faiss's
/// seeded draw (probability (size − 1)/(n − k), clusters visited in order) and the two are pushed apart by
/// ±1/1024 on alternate coordinates. The draws use the same Mersenne Twister stream as faiss, so on the same
/// float32 data the clusters are the same up to near-ties in float rounding.
/// </summary>
public static class Clustering
{
    public const int DefaultIterations = 20;

    /// <summary>faiss's default <c>ClusteringParameters.seed</c>, which the reference leaves unchanged.</summary>
    public const int FaissSeed = 1234;

    private const int ChunkRows = 1024;
    private const double SplitEps = 1.0 / 1024;
    private static readonly Scalar One = 1.0.ToScalar();

    /// <summary>Cluster id of every row (see <see cref="Fit"/>).</summary>
    public static int[] KMeans(Tensor x, int k, int seed = FaissSeed, int iterations = DefaultIterations,
        KMeansInit init = KMeansInit.FaissRandom) =>
        Fit(x, k, seed, iterations, init).Assignments;

    /// <summary>Runs k-means on the rows of <paramref name="x"/> (N × d) and labels each row with its nearest final centre.</summary>
    public static KMeansResult Fit(Tensor x, int k, int seed = FaissSeed, int iterations = DefaultIterations,
        KMeansInit init = KMeansInit.FaissRandom)
    {
        if (x.dim() != 2) throw new ArgumentException($"k-means needs a 2-D tensor (got {x.dim()}-D)");
        var n = (int)x.shape[0];
        var d = (int)x.shape[1];
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
        if (k > n) throw new ArgumentException($"k-means with k = {k} needs at least {k} rows (got {n})");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var data = x.detach().to(ScalarType.Float32).contiguous();
        if (!data.isfinite().all().item<bool>()) throw new ArgumentException("k-means input contains NaN or infinite values");

        var splits = new List<int>();
        Tensor centres;
        if (n == k)
        {
            centres = data; // faiss's corner case: every point is a centre, no iteration
        }
        else
        {
            centres = init == KMeansInit.FaissRandom
                ? data.index_select(0, tensor(RandomPermutation(n, seed + 1).Take(k).Select(i => (long)i).ToArray(), device: data.device))
                : KMeansPlusPlus(data, k, seed);
            Tensor? previous = null;
            for (var it = 0; it < iterations; it++)
            {
                var assign = Assign(data, centres);
                // Same assignment as the last iteration: the centres would come out the same again (the split
                // draws restart from the same seed every iteration), so the remaining iterations change nothing.
                if (previous is not null && assign.equal(previous).all().item<bool>()) break;
                previous = assign;
                var (next, nsplit) = UpdateCentres(data, assign, k, d);
                centres = next;
                splits.Add(nsplit);
            }
        }
        var labels = Assign(data, centres).cpu().data<long>().ToArray().Select(v => (int)v).ToArray();
        var flat = centres.cpu().data<float>().ToArray();
        var rows = Enumerable.Range(0, k).Select(c => flat.AsSpan(c * d, d).ToArray()).ToArray();
        return new KMeansResult(labels, rows, splits.ToArray());
    }

    /// <summary>Means of the assigned rows (float64 sums), then faiss's split of empty clusters.</summary>
    private static (Tensor Centres, int Splits) UpdateCentres(Tensor data, Tensor assign, int k, int d)
    {
        var sums = zeros(k, d, dtype: ScalarType.Float64, device: data.device)
            .index_add_(0, assign, data.to(ScalarType.Float64), One);
        var counts = bincount(assign, minlength: k).to(ScalarType.Float64);
        var means = sums.div(counts.clamp_min(One).unsqueeze(1)).to(ScalarType.Float32).cpu().contiguous();
        var hassign = counts.to(ScalarType.Float32).cpu().data<float>().ToArray();
        if (!hassign.Contains(0f)) return (means.to(data.device), 0);
        var centroids = means.data<float>().ToArray();
        var nsplit = SplitEmptyClusters(centroids, hassign, (int)data.shape[0], k, d);
        return (tensor(centroids, new long[] { k, d }, device: data.device), nsplit);
    }

    /// <summary>faiss <c>split_clusters</c>: every empty cluster copies a donor and both move apart by ±1/1024.</summary>
    internal static int SplitEmptyClusters(float[] centroids, float[] hassign, int n, int k, int d)
    {
        var rng = new Mt19937(FaissSeed); // faiss restarts this draw from 1234 on every call
        var nsplit = 0;
        for (var ci = 0; ci < k; ci++)
        {
            if (hassign[ci] != 0) continue;
            var cj = 0;
            var found = false;
            for (var tries = 0; tries < 10 * k; tries++, cj = (cj + 1) % k)
            {
                var p = (float)((hassign[cj] - 1.0) / (float)(n - k));
                if (rng.NextFloat() < p)
                {
                    found = true;
                    break;
                }
            }
            if (!found)
            {
                // Newer faiss's fallback after 10·k unlucky draws: the largest cluster donates.
                cj = 0;
                for (var j = 1; j < k; j++)
                    if (hassign[j] > hassign[cj]) cj = j;
            }
            Array.Copy(centroids, cj * d, centroids, ci * d, d);
            for (var j = 0; j < d; j++)
            {
                var up = j % 2 == 0;
                centroids[ci * d + j] = (float)(centroids[ci * d + j] * (up ? 1 + SplitEps : 1 - SplitEps));
                centroids[cj * d + j] = (float)(centroids[cj * d + j] * (up ? 1 - SplitEps : 1 + SplitEps));
            }
            hassign[ci] = hassign[cj] / 2;
            hassign[cj] -= hassign[ci];
            nsplit++;
        }
        return nsplit;
    }

    /// <summary>faiss <c>rand_perm</c>: a Fisher–Yates shuffle of 0 … n − 1 driven by mt19937(seed).</summary>
    internal static int[] RandomPermutation(int n, long seed)
    {
        var perm = Enumerable.Range(0, n).ToArray();
        var rng = new Mt19937(unchecked((uint)seed));
        for (var i = 0; i + 1 < n; i++)
        {
            var j = i + rng.NextInt(n - i);
            (perm[i], perm[j]) = (perm[j], perm[i]);
        }
        return perm;
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

    private static Tensor SquaredDistanceTo(Tensor data, Tensor row) => data.sub(row.unsqueeze(0)).square().sum(dim: 1);

    /// <summary>Nearest centre of every row: ‖x‖² + ‖c‖² − 2·x·c as faiss's flat L2 index computes it (ties to the lower centre), chunked over rows.</summary>
    private static Tensor Assign(Tensor data, Tensor centres)
    {
        var n = (int)data.shape[0];
        var cNorm = centres.square().sum(dim: 1).unsqueeze(0);
        var parts = new List<Tensor>();
        for (var s = 0; s < n; s += ChunkRows)
        {
            var rows = Math.Min(ChunkRows, n - s);
            var chunk = data.narrow(0, s, rows);
            var xNorm = chunk.square().sum(dim: 1, keepdim: true);
            var dist = torch.addmm(xNorm.Plus(cNorm), chunk, centres.t(), beta: 1, alpha: -2);
            parts.Add(dist.argmin(dim: 1));
        }
        return cat(parts, 0);
    }
}
