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
/// Which attention kernel runs for a given activation type and mode, chosen by measurement on this project's CPU machine with
/// libtorch 2.10 (`model-precision`, ViT-S/16 batch 16, 2 threads, interleaved medians): the fused kernel won everywhere,
/// including mixed-bf16 training (whole step 1,849 ms fused vs 2,602 ms explicit), against the earlier op-level timing
/// that favoured the explicit path there. The explicit path stays available (<see cref="Attention.Kernel"/>) and gives the same
/// numbers within the half type's precision (see AttentionKernelTests); re-measure with `op-profile` / `model-precision`.
/// </summary>
public static class AttentionKernels
{
    /// <summary>The kernel for activations of <paramref name="dtype"/>, with gradients recorded or not.</summary>
    public static AttentionKernel Choose(ScalarType dtype, bool recordsGradients) => AttentionKernel.Fused;
}
