using TorchSharp;
using static TorchSharp.torch;
using VptSp.Core.Modeling;
using VptSp.Core.Runtime;

namespace VptSp.Core.MetricLearning;

/// <summary>
/// Cross-entropy over cosine similarities to one proxy per class, scaled by <see cref="Scale"/> (normalised softmax,
/// Zhai &amp; Wu 2019): loss = mean_i −log softmax(s·cos(e_i, P))[y_i]. Used to pre-train a backbone (loss: cross_entropy).
/// </summary>
public sealed class NormalizedSoftmaxLoss(double scale = 16.0) : IMetricLoss
{
    public double Scale { get; } = scale;

    /// <summary>The loss of a model output over all its proxies.</summary>
    public Tensor Forward(MetricOutput output, Tensor labels) => Forward(output.Embeddings, labels, output.AllProxies);

    /// <param name="embeddings">B × E.</param>
    /// <param name="labels">B class ids in 0…C−1.</param>
    /// <param name="proxies">C × E, row c stands for class c.</param>
    public Tensor Forward(Tensor embeddings, Tensor labels, Tensor proxies)
    {
        if (embeddings.dim() != 2 || proxies.dim() != 2 || embeddings.shape[1] != proxies.shape[1])
            throw new ArgumentException($"embeddings [{string.Join(", ", embeddings.shape)}] and proxies [{string.Join(", ", proxies.shape)}] must be B×E and C×E");
        using var scope = NewDisposeScope();
        var x = nn.functional.normalize(embeddings.to(ScalarType.Float32), dim: 1);
        var p = nn.functional.normalize(proxies.to(ScalarType.Float32), dim: 1);
        using var scale = Scale.ToScalar();
        var logits = x.mm(p.t()).mul(scale);
        return nn.functional.cross_entropy(logits, labels.to(ScalarType.Int64)).MoveToOuterDisposeScope();
    }
}
