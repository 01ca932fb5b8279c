using System.Collections.Concurrent;
using VptSp.Core.Data.Images;

namespace VptSp.Core.Data.Loading;

/// <summary>
/// Decoded images kept as RGB bytes, up to <see cref="BudgetBytes"/>; once full, further images are decoded each
/// time (nothing is evicted, so what is cached is stable). Each entry is one image at one preparation: its original
/// resolution (what training crops from, as the reference's RandomResizedCrop crops the original image) or shrunk
/// once to a short side (what evaluation resizes to anyway). Loading through the cache or not gives the same
/// pixels, so caching never changes results. Thread-safe; share one cache between the train and eval loaders of a run.
/// </summary>
public sealed class DecodedImageCache
{
    private readonly ConcurrentDictionary<(string Path, int ShortSide), RgbImage> _images = new();
    private long _usedBytes;

    /// <param name="budgetBytes">Memory for cached pixels (0 disables caching).</param>
    public DecodedImageCache(long budgetBytes, SafeImageLoader? loader = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budgetBytes);
        BudgetBytes = budgetBytes;
        Loader = loader ?? SafeImageLoader.Shared;
    }

    /// <summary>
    /// The short side a transform may receive its images at without changing its output: an eval transform's
    /// resize side (it resizes to that first); null (the original resolution) for anything else, since a random
    /// crop must see the original pixels.
    /// </summary>
    public static int? ShortSideFor(IImageTransform transform) => transform is EvalTransform eval ? eval.ResizeSize : null;

    public long BudgetBytes { get; }
    public SafeImageLoader Loader { get; }
    public long UsedBytes => Interlocked.Read(ref _usedBytes);
    public int Count => _images.Count;

    /// <summary>
    /// The image at <paramref name="path"/>, at original resolution (<paramref name="shortSide"/> null) or with a
    /// short side larger than <paramref name="shortSide"/> downscaled to it: from memory, or decoded (+ downscaled)
    /// and kept if it fits.
    /// </summary>
    public RgbImage Get(string path, int? shortSide = null)
    {
        if (shortSide is <= 0) throw new ArgumentOutOfRangeException(nameof(shortSide));
        var key = (path, shortSide ?? 0);
        if (_images.TryGetValue(key, out var cached)) return cached;
        var image = Prepare(Loader.LoadRgb(path), shortSide);
        if (BudgetBytes > 0 && Interlocked.Add(ref _usedBytes, image.SizeInBytes) <= BudgetBytes)
        {
            if (!_images.TryAdd(key, image)) Interlocked.Add(ref _usedBytes, -image.SizeInBytes); // another thread won
        }
        else if (BudgetBytes > 0)
        {
            Interlocked.Add(ref _usedBytes, -image.SizeInBytes);
        }
        return image;
    }

    /// <summary>What an image goes through before the transforms (also when not cached).</summary>
    public static RgbImage Prepare(RgbImage image, int? shortSide) =>
        shortSide is { } s && Math.Min(image.Width, image.Height) > s ? ImageOps.ResizeShortSide(image, s) : image;

    public void Clear()
    {
        _images.Clear();
        Interlocked.Exchange(ref _usedBytes, 0);
    }
}
