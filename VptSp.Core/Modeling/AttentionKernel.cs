using static TorchSharp.torch;

namespace VptSp.Core.Modeling;

/// <summary>How <see cref="Attention"/> computes softmax(q·kᵀ/√d)·v.</summary>
public enum AttentionKernel
{
    /// <summary>libtorch's fused <c>scaled_dot_product_attention</c>.</summary>
    Fused,
    /// <summary>Two batched matrix products around a soft-max (timm's non-fused path).</summary>
    Explicit,
}

/// <summary>
/// Which attention kernel runs for a given activation type and mode, chosen by measurement on a 2-core CPU machine
/// (docs/measurements.md): explicit for bf16 (training and inference), fused otherwise. Both paths give the same numbers
/// within the half type's precision (AttentionKernelTests); <see cref="Attention.Kernel"/> forces one; re-measure with
/// `op-profile` / `model-precision`.
/// </summary>
public static class AttentionKernels
{
    /// <summary>The kernel for activations of <paramref name="dtype"/>, with gradients recorded or not.</summary>
    public static AttentionKernel Choose(ScalarType dtype, bool recordsGradients) =>
        dtype == ScalarType.BFloat16 ? AttentionKernel.Explicit : AttentionKernel.Fused;
}
