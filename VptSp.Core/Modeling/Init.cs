using TorchSharp;
using static TorchSharp.torch;

namespace VptSp.Core.Modeling;

/// <summary>
/// Parameter initialisers (PyTorch's formulas) that draw from a per-thread seeded generator when one is active
/// (<see cref="Seeded"/>), so building a model is reproducible even while other threads use libtorch's global generator.
/// </summary>
public static class Init
{
    private static readonly Scalar TruncLow = (-2.0).ToScalar();
    private static readonly Scalar TruncHigh = 2.0.ToScalar();
    [ThreadStatic] private static Generator? _current;

    /// <summary>Makes every initialiser on this thread draw from a generator seeded with <paramref name="seed"/> until disposed.</summary>
    public static IDisposable Seeded(long seed) => new Scope(new Generator((ulong)seed));

    private static (double FanIn, double FanOut) Fans(Tensor t)
    {
        if (t.dim() < 2) throw new ArgumentException("fan in/out needs at least 2 dimensions");
        var receptive = t.shape.Skip(2).Aggregate(1L, (a, b) => a * b);
        return ((double)t.shape[1] * receptive, (double)t.shape[0] * receptive);
    }

    public static void Uniform(Tensor t, double low, double high)
    {
        using var _ = no_grad();
        // Tensor.uniform_ honours the generator; nn.init.uniform_(…, generator) in 0.107 ignores it
        t.uniform_(low, high, _current);
    }

    public static void Normal(Tensor t, double mean, double std)
    {
        using var _ = no_grad();
        t.normal_(mean, std, _current);
    }

    public static void TruncNormal(Tensor t, double std)
    {
        using var _ = no_grad();
        // nn.init.trunc_normal_ with a generator fills 1.0 in 0.107: draw normal and clip at ±2 (timm's absolute bounds)
        t.normal_(0, std, _current).clamp_(TruncLow, TruncHigh);
    }

    /// <summary>xavier_uniform_: U(±√(6/(fan_in+fan_out))).</summary>
    public static void XavierUniform(Tensor t)
    {
        var (fi, fo) = Fans(t);
        var a = Math.Sqrt(6.0 / (fi + fo));
        Uniform(t, -a, a);
    }

    /// <summary>xavier_normal_: N(0, 2/(fan_in+fan_out)).</summary>
    public static void XavierNormal(Tensor t)
    {
        var (fi, fo) = Fans(t);
        Normal(t, 0, Math.Sqrt(2.0 / (fi + fo)));
    }

    /// <summary>PyTorch's default Linear/Conv weight init, kaiming_uniform_(a=√5): U(±1/√fan_in).</summary>
    public static void DefaultWeight(Tensor t)
    {
        var (fi, _) = Fans(t);
        var b = 1.0 / Math.Sqrt(fi);
        Uniform(t, -b, b);
    }

    private sealed class Scope : IDisposable
    {
        private readonly Generator? _previous;
        private readonly Generator _generator;

        public Scope(Generator generator)
        {
            _previous = _current;
            _generator = generator;
            _current = generator;
        }

        public void Dispose()
        {
            _current = _previous;
            _generator.Dispose();
        }
    }
}
