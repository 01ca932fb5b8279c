using static TorchSharp.torch;

namespace VptSp.Core.Modeling;

/// <summary>
/// Training forward result. <see cref="Embeddings"/>: B×E, L2-normalised (then feature dropout).
/// <see cref="AllProxies"/>: C×E (Π; rows of the batch's classes carry gradients). <see cref="BatchProxies"/>: U×E (π, one per distinct
/// batch class, in order of appearance). <see cref="BatchClasses"/>: the U class ids (int64) of <see cref="BatchProxies"/>.
/// </summary>
public sealed record MetricOutput(Tensor Embeddings, Tensor AllProxies, Tensor BatchProxies, Tensor BatchClasses) : IDisposable
{
    public void Dispose()
    {
        Embeddings.Dispose();
        AllProxies.Dispose();
        BatchProxies.Dispose();
        BatchClasses.Dispose();
    }
}

/// <summary>Total and trainable parameter counts (memory-bank class prompts count as trainable).</summary>
public sealed record ParameterCounts(long Total, long Trainable, long Backbone)
{
    public double TrainablePercent => Total == 0 ? 0 : 100.0 * Trainable / Total;

    public override string ToString() => $"{Trainable:N0} trainable of {Total:N0} ({TrainablePercent:F2} %)";
}

/// <summary>Input preprocessing the backbone was trained with (data transforms take it from here).</summary>
public sealed record Preprocessing(int ImgSize, float[] Mean, float[] Std, string Interpolation, double CropPct);
