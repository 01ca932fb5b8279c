using TorchSharp;
using static TorchSharp.torch;

namespace VptSp.Core.Evaluation.Baselines;

/// <summary>How spread out a set of embeddings is, and whether it has collapsed (every image maps to nearly one direction).</summary>
/// <param name="MeanPairwiseCosine">The mean cosine similarity over all pairs of distinct rows.</param>
public sealed record EmbeddingSpread(int Count, double MeanPairwiseCosine)
{
    /// <summary>Above this mean pairwise cosine the embedding counts as collapsed: neighbours are all near-identical scores.</summary>
    public const double CollapseThreshold = 0.95;

    public bool Collapsed => MeanPairwiseCosine > CollapseThreshold;

    /// <summary>
    /// With unit rows u_i, Σ_{i≠j} u_i·u_j = ‖Σ u_i‖² − N, so the mean over the N(N−1) ordered pairs costs one pass
    /// (no N × N matrix). Zero rows stay zero. Needs at least 2 rows.
    /// </summary>
    public static EmbeddingSpread Of(Tensor embeddings)
    {
        if (embeddings.dim() != 2) throw new ArgumentException($"embeddings must be N × E, got {embeddings.dim()} dimensions");
        var n = (int)embeddings.shape[0];
        if (n < 2) throw new ArgumentException($"the spread needs at least 2 embeddings, got {n}");
        using var scope = NewDisposeScope();
        var x = embeddings.to(ScalarType.Float64);
        using var eps = 1e-12.ToScalar();
        var norms = (x * x).sum(1, keepdim: true).sqrt().clamp_min(eps);
        var unit = x / norms;
        var sum = unit.sum(0L, keepdim: false); // 0L: a literal 0 would bind to sum(ScalarType? type)
        var squared = (sum * sum).sum().item<double>();
        var selfTerms = (unit * unit).sum().item<double>(); // N, less any zero rows
        return new EmbeddingSpread(n, (squared - selfTerms) / ((double)n * (n - 1)));
    }
}
