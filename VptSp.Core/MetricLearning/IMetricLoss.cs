using VptSp.Core.Modeling;
using static TorchSharp.torch;

namespace VptSp.Core.MetricLearning;

/// <summary>A training objective over one forward of the model (built from the config by <c>MetricLossFactory</c>).</summary>
public interface IMetricLoss
{
    /// <param name="output">The model's training forward (embeddings, all proxies, the batch's proxies and their class ids).</param>
    /// <param name="labels">B class ids.</param>
    /// <returns>A scalar loss tensor (the caller's dispose scope owns it).</returns>
    Tensor Forward(MetricOutput output, Tensor labels);
}
