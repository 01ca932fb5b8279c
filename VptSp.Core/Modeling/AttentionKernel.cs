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
/// 2-core CPU machine (`model-precision`, ViT-S/16 batch 16, 2 threads, 5 interleaved rounds, quiet machine, load ≈ 1):
/// recording gradients in bf16 the explicit path wins (mixed bf16 step 1,115 ms explicit vs 1,472 ms fused; the op alone in
/// `op-profile`: 231 vs 469 ms); without gradients (inference) the two are equal within noise (540 vs 552 ms) and fp32 is faster
/// fused (422 vs 601 ms op-level). An earlier whole-step run on a heavily loaded machine (load 15–26) had favoured the fused
/// kernel; the quiet-machine run supersedes it. Both paths give the same numbers within the half type's precision
/// (AttentionKernelTests); <see cref="Attention.Kernel"/> forces one; re-measure with `op-profile` / `model-precision`.
/// </summary>
public static class AttentionKernels
{
    /// <summary>The kernel for activations of <paramref name="dtype"/>, with gradients recorded or not.</summary>
    public static AttentionKernel Choose(ScalarType dtype, bool recordsGradients) =>
        dtype == ScalarType.BFloat16 && recordsGradients ? AttentionKernel.Explicit : AttentionKernel.Fused;
}
