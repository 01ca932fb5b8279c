namespace VptSp.Core.Data.Images;

/// <summary>Why <see cref="SafeImageLoader"/> refused an image.</summary>
public enum ImageRejectionReason
{
    /// <summary>The encoded file is larger than the byte limit.</summary>
    TooLarge,
    /// <summary>The bytes are not a recognisable image.</summary>
    NotAnImage,
    /// <summary>A real image format, but not one of JPEG, PNG, WebP, BMP.</summary>
    UnsupportedFormat,
    /// <summary>The header was read but the pixel data is corrupt or cut short.</summary>
    Truncated,
    /// <summary>The declared width × height exceeds the pixel limit (a decompression bomb, or just too big).</summary>
    TooManyPixels,
    /// <summary>One side is more than <see cref="SafeImageLoaderOptions.MaxAspectRatio"/> times the other: resizing it to a model's input would need an unbounded buffer.</summary>
    ExtremeAspectRatio,
}

/// <summary>An image refused before or during decoding; the message is one line naming the source and the reason.</summary>
public sealed class ImageRejectedException(ImageRejectionReason reason, string message, Exception? inner = null)
    : FormatException(message, inner)
{
    public ImageRejectionReason Reason { get; } = reason;
}
