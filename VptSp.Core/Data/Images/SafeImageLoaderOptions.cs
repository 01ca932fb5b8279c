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

    public static SafeImageLoaderOptions Default { get; } = new();
}
