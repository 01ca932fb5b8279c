namespace VptSp.Core.Data.Images;

/// <summary>Limits applied before and while decoding. The defaults suit dataset photos and web uploads.</summary>
public sealed record SafeImageLoaderOptions
{
    /// <summary>Largest encoded file accepted, in bytes (default 32 MiB).</summary>
    public long MaxBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Largest width × height accepted, checked from the header before decoding (default 40 MP).</summary>
    public long MaxPixels { get; init; } = 40_000_000;

    /// <summary>Upper bound on any single allocation of the decoder, in MiB (default 256).</summary>
    public int AllocationLimitMegabytes { get; init; } = 256;

    /// <summary>
    /// Largest long side ÷ short side accepted, checked from the header (default 32). Every path resizes the short side
    /// to a model size S (≈ 1.14 × the input size), which makes the long side S × ratio: the ratio, not the pixel
    /// count, bounds that buffer (a 1 × 200,000 image has few pixels but would resize to 256 × 51,200,000).
    /// 32:1 keeps it under 256 × 8,192 × 3 ≈ 6 MiB at S = 256 and passes every real panorama and dataset photo.
    /// </summary>
    public double MaxAspectRatio { get; init; } = 32;

    public static SafeImageLoaderOptions Default { get; } = new();
}
