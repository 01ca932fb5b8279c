using TorchSharp;

namespace VptSp.Core.Runtime;

/// <summary>
/// Process-lifetime <see cref="Scalar"/> constants. A static field keeps the native c10::Scalar alive for the
/// whole process, so passing one to a tensor op can never race its finalizer (docs/native-lifetimes.md).
/// A value that changes per step is created with <c>using var s = value.ToScalar();</c> instead.
/// </summary>
public static class Scalars
{
    public static readonly Scalar Zero = 0.0.ToScalar();
    public static readonly Scalar One = 1.0.ToScalar();
    public static readonly Scalar MinusOne = (-1.0).ToScalar();
    public static readonly Scalar Two = 2.0.ToScalar();
    public static readonly Scalar Half = 0.5.ToScalar();
    public static readonly Scalar OneLong = 1L.ToScalar();
    public static readonly Scalar ZeroLong = 0L.ToScalar();
    public static readonly Scalar True = true.ToScalar();
    public static readonly Scalar False = false.ToScalar();
    public static readonly Scalar NegativeInfinity = double.NegativeInfinity.ToScalar();
    public static readonly Scalar PositiveInfinity = double.PositiveInfinity.ToScalar();
    /// <summary>255, the byte range of image pixels.</summary>
    public static readonly Scalar ByteMax = 255.0.ToScalar();
}
