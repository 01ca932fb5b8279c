using VptSp.Core.MetricLearning;

namespace VptSp.Core.Training;

/// <summary>The training loss a config selects (<c>loss</c>, then <c>loss_oproxy_*</c> and <c>proxy_data_range</c>).</summary>
public static class MetricLossFactory
{
    public static IMetricLoss Create(TrainingConfig c) => c.Loss switch
    {
        LossKind.CrossEntropy => new NormalizedSoftmaxLoss(),
        LossKind.DmlProxyPeft or LossKind.DmlProxy => new ProxyAnchorLoss(new ProxyAnchorLossOptions
        {
            Mode = c.LossOproxyMode,
            PosAlpha = c.LossOproxyPosAlpha,
            NegAlpha = c.LossOproxyNegAlpha,
            PosDelta = c.LossOproxyPosDelta,
            NegDelta = c.LossOproxyNegDelta,
            Range = c.ProxyDataRange,
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(c), c.Loss, "unknown loss"),
    };
}
