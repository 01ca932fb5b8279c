using static TorchSharp.torch;

namespace VptSp.Core.Modeling;

/// <summary>
/// The mixed-precision casting policy of <c>torch.autocast</c>, which TorchSharp 0.107 lacks, made explicit for this model's
/// ops. Inside a region opened by <see cref="Enter"/> with a half type, matrix products (<see cref="Dense"/>, the patch
/// convolution, attention) take their inputs and weights in that type and return it, while LayerNorm (<see cref="Norm"/>)
/// computes in fp32 and returns fp32, so the residual stream (fp32 + half promotes to fp32) and the loss stay fp32.
/// Element-wise ops run in whatever type reaches them (GELU in half, as autocast leaves it). The region is per thread,
/// like dispose scopes and grad mode; backward needs no region (the casts' gradients arrive in the parameters' types).
/// </summary>
public static class Autocast
{
    [ThreadStatic] private static ScalarType? _half;

    /// <summary>The half type matrix products run in on this thread, or null outside a region (every op follows its input).</summary>
    public static ScalarType? HalfType => _half;

    /// <summary>Opens a region with <paramref name="half"/> (BFloat16 or Float16; null opens a region without casting) until disposed.</summary>
    public static Region Enter(ScalarType? half)
    {
        if (half is not (null or ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentException($"autocast type must be BFloat16 or Float16 (got {half})");
        var previous = _half;
        _half = half;
        return new Region(previous);
    }

    /// <summary>The type a matrix product with input <paramref name="x"/> computes in: the region's half type, else the input's.</summary>
    internal static ScalarType MatmulType(Tensor x) => _half ?? x.dtype;

    /// <summary>The type a normalisation of <paramref name="x"/> computes in: fp32 inside a region, else the input's.</summary>
    internal static ScalarType NormType(Tensor x) => _half is null ? x.dtype : ScalarType.Float32;

    /// <summary><paramref name="t"/> in <paramref name="dtype"/> (the same tensor when it already is).</summary>
    internal static Tensor As(Tensor t, ScalarType dtype) => t.dtype == dtype ? t : t.to(dtype);

    /// <summary>Restores the enclosing region's setting when disposed.</summary>
    public readonly struct Region : IDisposable
    {
        private readonly ScalarType? _previous;
        internal Region(ScalarType? previous) => _previous = previous;
        public void Dispose() => _half = _previous;
    }
}
