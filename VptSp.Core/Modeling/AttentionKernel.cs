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
/// Which attention kernel runs for a given activation type and mode, chosen by measurement with libtorch 2.10 on this project's
/// 2-core CPU machine (ViT-S/16 batch 16, 2 threads, interleaved rounds). bf16, training: explicit (`model-precision`, quiet
/// machine: mixed bf16 step 1,115 ms explicit vs 1,472 ms fused; `op-profile`, the op alone: 231 vs 469 ms). bf16, inference:
/// explicit as well (`model-precision`, load 1–2, 5 interleaved rounds: the mixed bf16 embedding of the batch 509 vs 556 ms fused,
/// 560 vs 608 ms computing every token; `op-profile` forward without gradients 7.9 vs 13.1 ms per block). An earlier quiet run
/// had found inference equal (540 vs 552 ms); no later run found fused faster in bf16. fp32 is faster fused (422 vs 601 ms op-level). Both
/// paths give the same numbers within the half type's precision (AttentionKernelTests); <see cref="Attention.Kernel"/> forces one;
/// re-measure with `op-profile` / `model-precision`.
/// </summary>
public static class AttentionKernels
{
    /// <summary>The kernel for activations of <paramref name="dtype"/>, with gradients recorded or not.</summary>
    public static AttentionKernel Choose(ScalarType dtype, bool recordsGradients) =>
        dtype == ScalarType.BFloat16 ? AttentionKernel.Explicit : AttentionKernel.Fused;
}
