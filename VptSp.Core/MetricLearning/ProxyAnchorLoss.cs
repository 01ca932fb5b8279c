using System.Text.Json.Serialization;
using TorchSharp;
using static TorchSharp.torch;
using VptSp.Core.Modeling;
using VptSp.Core.Runtime;

namespace VptSp.Core.MetricLearning;

/// <summary>How the masked log-sum-exp reduces: per proxy over the batch (Proxy-Anchor) or per sample over proxies (NCA-style).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProxyLossMode>))]
public enum ProxyLossMode
{
    /// <summary>Proxy-Anchor: for each proxy, log(1 + Σ_samples exp(·)), averaged over the M proxies.</summary>
    [JsonStringEnumMemberName("anchor")] Anchor,

    /// <summary>For each sample, log(1 + Σ_proxies exp(·)), averaged over the B samples.</summary>
    [JsonStringEnumMemberName("nca")] Nca,
}

/// <summary>
/// Hyper-parameters of <see cref="ProxyAnchorLoss"/> (the seed's loss_oproxy_* keys and proxy_data_range); no defaults here:
/// they come from the config (<c>MetricLossFactory</c>).
/// </summary>
public sealed record ProxyAnchorLossOptions
{
    public required ProxyLossMode Mode { get; init; }
    public required double PosAlpha { get; init; }
    public required double NegAlpha { get; init; }
    public required double PosDelta { get; init; }
    public required double NegDelta { get; init; }
    /// <summary>The proxies <see cref="ProxyAnchorLoss.Forward(MetricOutput, Tensor)"/> takes from a model output.</summary>
    public required ProxyDataRange Range { get; init; }
}

/// <summary>
/// Proxy-Anchor loss with the reference's masked log-sum-exp (the authors' criteria/dml_proxy_peft.py).
/// Embeddings and proxies are L2-normalised, s = cosine similarity (B × M). With positive mask P
/// (label = proxy class) and negative mask N = ¬P:
///   pos = lse₀(−α⁺(s − δ⁺) over P), neg = lse₀(α⁻(s − δ⁻) over N), where lse₀(v) = log(1 + Σ exp v)
///   and a row/column with an empty mask contributes 0;
///   loss = mean(pos) + mean(neg), the means over the M proxies (anchor) or the B samples (nca),
///   empty groups included in the count.
/// Pass all C proxies with ids 0…C−1 for <c>both_all</c>, or only the batch's proxies with their class
/// ids for <c>in_batch</c>. Differentiable in embeddings and proxies.
/// </summary>
public sealed class ProxyAnchorLoss(ProxyAnchorLossOptions options) : IMetricLoss
{
    private static readonly Scalar LowestFloat = float.MinValue.ToScalar();
    private static readonly Scalar NormFloor = 1e-12.ToScalar();

    public ProxyAnchorLossOptions Options { get; } = options;

    /// <summary>The loss of a model output over all its proxies (both_all) or the batch's (in_batch).</summary>
    public Tensor Forward(MetricOutput output, Tensor labels)
    {
        if (Options.Range == ProxyDataRange.InBatch)
            return Forward(output.Embeddings, labels, output.BatchProxies, output.BatchClasses);
        using var all = TensorOps.Arange(0, output.AllProxies.shape[0], dtype: ScalarType.Int64, device: output.AllProxies.device);
        return Forward(output.Embeddings, labels, output.AllProxies, all);
    }

    /// <param name="embeddings">B × E.</param>
    /// <param name="labels">B class ids (int64 or int32).</param>
    /// <param name="proxies">M × E.</param>
    /// <param name="proxyClassIds">M class ids, the class each proxy stands for.</param>
    /// <returns>A scalar loss tensor (the caller disposes it or its scope does).</returns>
    public Tensor Forward(Tensor embeddings, Tensor labels, Tensor proxies, Tensor proxyClassIds)
    {
        CheckShapes(embeddings, labels, proxies, proxyClassIds);
        using var scope = NewDisposeScope();
        var x = Normalise(embeddings);
        var p = Normalise(proxies);
        var sims = x.mm(p.t()); // B × M
        var positive = labels.to(ScalarType.Int64).unsqueeze(1).eq(proxyClassIds.to(ScalarType.Int64).unsqueeze(0));
        var negative = positive.logical_not();
        var dim = Options.Mode == ProxyLossMode.Anchor ? 0 : 1;
        using var posScale = (-Options.PosAlpha).ToScalar();
        using var posDelta = Options.PosDelta.ToScalar();
        using var negScale = Options.NegAlpha.ToScalar();
        using var negDelta = Options.NegDelta.ToScalar();
        var posTerm = MaskedLogSumExp((sims - posDelta).mul(posScale), positive, dim);
        var negTerm = MaskedLogSumExp((sims - negDelta).mul(negScale), negative, dim);
        return posTerm.mean().Plus(negTerm.mean()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The class ids present in a batch, ascending: the proxies of <c>in_batch</c> are
    /// <c>allProxies.index_select(0, ids)</c> with these ids.
    /// </summary>
    public static Tensor InBatchClassIds(Tensor labels)
    {
        if (labels.dim() != 1) throw new ArgumentException($"labels must be a vector (got {labels.dim()}-D)");
        var (ids, _, _) = labels.to(ScalarType.Int64).unique(sorted: true);
        return ids;
    }

    /// <summary>log(1 + Σ_{mask} exp v) along <paramref name="dim"/> (keepdim); 0 where the mask is empty.</summary>
    internal static Tensor MaskedLogSumExp(Tensor values, Tensor mask, int dim)
    {
        var masked = values.masked_fill(mask.logical_not(), LowestFloat);
        var shape = masked.shape.ToArray();
        shape[dim] = 1;
        var withZero = cat([masked, zeros(shape, dtype: masked.dtype, device: masked.device)], dim);
        var lse = withZero.logsumexp(dim, keepdim: true);
        return lse.masked_fill(mask.any(dim, keepdim: true).logical_not(), Scalars.Zero);
    }

    private static Tensor Normalise(Tensor t) => t / t.norm(1, true).clamp_min(NormFloor);

    private static void CheckShapes(Tensor embeddings, Tensor labels, Tensor proxies, Tensor proxyClassIds)
    {
        if (embeddings.dim() != 2 || proxies.dim() != 2)
            throw new ArgumentException($"embeddings and proxies must be 2-D (got {embeddings.dim()}-D and {proxies.dim()}-D)");
        if (embeddings.shape[1] != proxies.shape[1])
            throw new ArgumentException($"embedding dimension {embeddings.shape[1]} differs from proxy dimension {proxies.shape[1]}");
        if (labels.dim() != 1 || labels.shape[0] != embeddings.shape[0])
            throw new ArgumentException($"labels must be a vector of {embeddings.shape[0]} class ids (got shape [{string.Join(", ", labels.shape)}])");
        if (proxyClassIds.dim() != 1 || proxyClassIds.shape[0] != proxies.shape[0])
            throw new ArgumentException($"proxyClassIds must be a vector of {proxies.shape[0]} class ids (got shape [{string.Join(", ", proxyClassIds.shape)}])");
    }
}
