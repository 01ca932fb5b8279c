using TorchSharp;
using static TorchSharp.torch;

namespace VptSp.Core.Runtime;

/// <summary>
/// Readable spellings of the TorchSharp calls that would otherwise make a finalizer-owned <see cref="Scalar"/>
/// (<c>a + b</c> passes an alpha of 1 it creates on every call; <c>t.ToSingle()</c> reads through a Scalar
/// nobody holds). Each helper calls the explicit-Scalar overload with a held Scalar. See docs/native-lifetimes.md.
/// </summary>
public static class TensorOps
{
    /// <summary><c>a + b</c> without the hidden alpha Scalar.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, UnitAlpha(a, b));

    /// <summary><c>t + s</c> without the hidden alpha Scalar.</summary>
    public static Tensor Plus(this Tensor t, Scalar s) => t.add(s, UnitAlpha(t));

    /// <summary><c>a += b</c> in place without the hidden alpha Scalar.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, UnitAlpha(a, b));

    /// <summary><c>t += s</c> in place without the hidden alpha Scalar.</summary>
    public static Tensor PlusInPlace(this Tensor t, Scalar s) => t.add_(s, UnitAlpha(t));

    /// <summary>An alpha of 1 that libtorch accepts: integral tensors refuse a floating-point alpha, bool ones want a bool.</summary>
    private static Scalar UnitAlpha(Tensor a, Tensor? b = null)
    {
        var bothBool = a.dtype == ScalarType.Bool && (b is null || b.dtype == ScalarType.Bool);
        if (bothBool) return Scalars.True;
        var integral = IsIntegral(a.dtype) && (b is null || IsIntegral(b.dtype) || b.dtype == ScalarType.Bool);
        return integral ? Scalars.OneLong : Scalars.One;
    }

    private static bool IsIntegral(ScalarType t) =>
        t is ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64;

    /// <summary><c>s - t</c> (TorchSharp's own <c>Scalar - Tensor</c> adds with a hidden alpha).</summary>
    public static Tensor RSub(this Tensor t, Scalar s)
    {
        using var negated = t.neg();
        return negated.add(s, Scalars.One);
    }

    /// <summary><c>t * value</c> with a Scalar that lives exactly as long as the call.</summary>
    public static Tensor Times(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.mul(s);
    }

    /// <summary><c>t / value</c> with a Scalar that lives exactly as long as the call.</summary>
    public static Tensor DividedBy(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.div(s);
    }

    /// <summary><c>t + value</c> with a Scalar that lives exactly as long as the call.</summary>
    public static Tensor Plus(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.add(s, Scalars.One);
    }

    /// <summary><c>a + alpha * b</c> with a Scalar alpha that lives exactly as long as the call.</summary>
    public static Tensor AddScaled(this Tensor a, Tensor b, double alpha)
    {
        using var s = alpha.ToScalar();
        return a.add(b, s);
    }

    /// <summary><c>arange(start, stop)</c> (step 1) with held Scalars; int64 unless <paramref name="dtype"/> says otherwise.</summary>
    public static Tensor Arange(long start, long stop, ScalarType? dtype = null, Device? device = null)
    {
        using var from = start.ToScalar();
        using var to = stop.ToScalar();
        return arange(from, to, Scalars.OneLong, dtype, device);
    }

    /// <summary>The single value of a one-element tensor as float, whatever its dtype, through a held Scalar.</summary>
    public static float ReadSingle(this Tensor t)
    {
        using var s = t.ToScalar();
        return s.ToSingle();
    }

    /// <summary>The single value of a one-element tensor as double, whatever its dtype, through a held Scalar.</summary>
    public static double ReadDouble(this Tensor t)
    {
        using var s = t.ToScalar();
        return s.ToDouble();
    }

    /// <summary>The single value of a one-element tensor as long, whatever its dtype, through a held Scalar.</summary>
    public static long ReadInt64(this Tensor t)
    {
        using var s = t.ToScalar();
        return s.ToInt64();
    }
}
