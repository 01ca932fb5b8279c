using System.Collections.Concurrent;
using VptSp.Core.Data.Images;

namespace VptSp.Core.Data.Loading;

/// <summary>
/// Decoded images kept as RGB bytes, each decoded and resized once (short side capped at
/// <see cref="ShortSide"/>), up to <see cref="BudgetBytes"/>; once full, further images are decoded each
/// time (nothing is evicted, so what is cached is stable). Loading through the cache or not gives the
/// same pixels, so caching never changes results. Thread-safe; share one cache between the train and
/// eval loaders of a run.
/// </summary>
public sealed class DecodedImageCache
{
    private readonly ConcurrentDictionary<string, RgbImage> _images = new(StringComparer.Ordinal);
    private long _usedBytes;

    /// <param name="budgetBytes">Memory for cached pixels (0 disables caching).</param>
    /// <param name="shortSide">Images whose short side is larger are downscaled to it once (null: keep full size).</param>
    public DecodedImageCache(long budgetBytes, int? shortSide, SafeImageLoader? loader = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budgetBytes);
        if (shortSide is <= 0) throw new ArgumentOutOfRangeException(nameof(shortSide));
        BudgetBytes = budgetBytes;
        ShortSide = shortSide;
        Loader = loader ?? SafeImageLoader.Shared;
    }

    /// <summary>The short side to keep for a transform: an eval transform's resize side, else round(size·256/224).</summary>
    public static int ShortSideFor(IImageTransform transform) =>
        transform is EvalTransform eval ? eval.ResizeSize : EvalTransform.DefaultResizeSize(transform.Size);

    public long BudgetBytes { get; }
    public int? ShortSide { get; }
    public SafeImageLoader Loader { get; }
    public long UsedBytes => Interlocked.Read(ref _usedBytes);
    public int Count => _images.Count;

    /// <summary>The prepared image for <paramref name="path"/>: from memory, or decoded (+ downscaled) and kept if it fits.</summary>
    public RgbImage Get(string path)
    {
        if (_images.TryGetValue(path, out var cached)) return cached;
        var image = Prepare(Loader.LoadRgb(path));
        if (BudgetBytes > 0 && Interlocked.Add(ref _usedBytes, image.SizeInBytes) <= BudgetBytes)
        {
            if (!_images.TryAdd(path, image)) Interlocked.Add(ref _usedBytes, -image.SizeInBytes); // another thread won
        }
        else if (BudgetBytes > 0)
        {
            Interlocked.Add(ref _usedBytes, -image.SizeInBytes);
        }
        return image;
    }

    /// <summary>What every image goes through before the transforms (also when not cached).</summary>
    public RgbImage Prepare(RgbImage image) =>
        ShortSide is { } s && Math.Min(image.Width, image.Height) > s ? ImageOps.ResizeShortSide(image, s) : image;

    public void Clear()
    {
        _images.Clear();
        Interlocked.Exchange(ref _usedBytes, 0);
    }
}
