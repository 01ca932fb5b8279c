using VptSp.Core.Data.Images;

namespace VptSp.Core.Data;

/// <summary>
/// How a reader treats the images it lists. With <see cref="VerifyImages"/> every image's header is
/// checked (in parallel, no pixel decoding) and unreadable ones are skipped with a counted warning;
/// without it only missing files are skipped (much faster on SOP/iNaturalist-sized trees).
/// </summary>
public sealed record DatasetReadOptions
{
    public bool VerifyImages { get; init; } = true;

    /// <summary>Loader whose limits decide what is readable (default: <see cref="SafeImageLoader.Shared"/>).</summary>
    public SafeImageLoader? Loader { get; init; }

    /// <summary>Emoji demo only: vendors whose renderings form the views of a class (default Google + Twitter).</summary>
    public IReadOnlyList<string> EmojiVendors { get; init; } = ["google", "twitter"];

    public static DatasetReadOptions Default { get; } = new();
}
