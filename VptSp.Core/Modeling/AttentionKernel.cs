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
/// Which attention kernel runs for a given activation type and mode, chosen by measurement on CPU with libtorch 2.10 (the
/// <c>op-profile</c> benchmark prints both at the model's shape): the fused kernel wins in fp32 and whenever no gradient is
/// recorded, but its bf16 backward is about twice as slow as the explicit path's, so bf16/fp16 training uses the explicit path.
/// Both give the same numbers within the half type's precision (see AttentionKernelTests).
/// </summary>
public static class AttentionKernels
{
    /// <summary>The kernel for activations of <paramref name="dtype"/>, with gradients recorded or not.</summary>
    public static AttentionKernel Choose(ScalarType dtype, bool recordsGradients) =>
        recordsGradients && dtype is ScalarType.BFloat16 or ScalarType.Float16 ? AttentionKernel.Explicit : AttentionKernel.Fused;
}
