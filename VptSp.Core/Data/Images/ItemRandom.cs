namespace VptSp.Core.Data.Images;

/// <summary>
/// A reseedable SplitMix64 generator behind the <see cref="Random"/> API, for the per-image draws of the loaders.
/// <c>new Random(seed)</c> allocates a 56-int state table per image; this reuses one instance per thread
/// (<see cref="ForItem"/>), so the training loop makes no garbage for its augmentation draws (docs/native-lifetimes.md:
/// fewer collections, fewer chances for a finalizer to race a native call). Same seed, same draws, on any thread.
/// The stream differs from <c>System.Random</c>'s (documented change); the transforms only need a deterministic one.
/// Not thread-safe: a thread takes it, uses it for one image, and reseeds it for the next.
/// </summary>
public sealed class ItemRandom : Random
{
    [ThreadStatic] private static ItemRandom? _perThread;
    private ulong _state;

    public ItemRandom(int seed) => Reseed(seed);

    /// <summary>This thread's generator, reseeded with <paramref name="seed"/> (valid until the next call on this thread).</summary>
    public static ItemRandom ForItem(int seed)
    {
        var r = _perThread ??= new ItemRandom(seed);
        r.Reseed(seed);
        return r;
    }

    public void Reseed(int seed) => _state = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL);

    /// <summary>The next 64 random bits (SplitMix64).</summary>
    public ulong NextUInt64()
    {
        var z = unchecked(_state += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    protected override double Sample() => NextDouble();

    public override float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1U << 24));

    public override int Next() => Next(int.MaxValue);

    /// <summary>Uniform in [0, <paramref name="maxValue"/>) by multiply-shift of 32 random bits.</summary>
    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (int)(((NextUInt64() >> 32) * (ulong)maxValue) >> 32);
    }

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return (int)(minValue + (long)(((NextUInt64() >> 32) * (ulong)((long)maxValue - minValue)) >> 32));
    }

    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    public override void NextBytes(Span<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i++) buffer[i] = (byte)(NextUInt64() >> 56);
    }
}
