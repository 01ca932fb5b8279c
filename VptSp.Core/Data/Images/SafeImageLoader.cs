using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;

namespace VptSp.Core.Data.Images;

/// <summary>
/// Decodes untrusted image bytes safely: only JPEG, PNG, WebP and BMP; the file size and the header's
/// width × height and aspect ratio are checked (with <c>Image.Identify</c>, which reads only the header) before any
/// pixel is decoded, so decompression bombs and extreme shapes fail fast and cheaply; every allocation is capped.
/// EXIF orientation is not applied: pixels are used as stored, as PIL's <c>Image.open</c> (the reference's loader) does. Images with
/// alpha are composited onto white. Thread-safe. Datasets and the web upload endpoint share
/// <see cref="Shared"/> (one restricted <see cref="Configuration"/> for the process).
/// </summary>
public sealed class SafeImageLoader
{
    private static readonly Lazy<SafeImageLoader> SharedLoader = new(() => new SafeImageLoader(SafeImageLoaderOptions.Default));

    public SafeImageLoader(SafeImageLoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxBytes <= 0 || options.MaxPixels <= 0 || options.AllocationLimitMegabytes <= 0)
            throw new ArgumentException("image limits must be positive");
        if (!(options.MaxAspectRatio >= 1))
            throw new ArgumentException($"MaxAspectRatio must be at least 1, got {options.MaxAspectRatio}");
        Options = options;
        Configuration = CreateConfiguration(options.AllocationLimitMegabytes);
    }

    /// <summary>The process-wide loader with <see cref="SafeImageLoaderOptions.Default"/> limits.</summary>
    public static SafeImageLoader Shared => SharedLoader.Value;

    public SafeImageLoaderOptions Options { get; }

    /// <summary>The restricted configuration (JPEG, PNG, WebP, BMP; capped allocator; single-threaded per image).</summary>
    public Configuration Configuration { get; }

    /// <summary>File extensions of the accepted formats (lower case, with the dot).</summary>
    public static IReadOnlySet<string> ImageExtensions { get; } =
        new HashSet<string>([".jpg", ".jpeg", ".png", ".webp", ".bmp"], StringComparer.OrdinalIgnoreCase);

    public static bool HasImageExtension(string path) => ImageExtensions.Contains(Path.GetExtension(path));

    /// <summary>Reads and decodes a file into RGB (alpha composited onto white).</summary>
    public RgbImage LoadRgb(string path) => LoadRgb(ReadFile(path), path);

    /// <summary>Decodes bytes (an upload, a cached file) into RGB (alpha composited onto white).</summary>
    public RgbImage LoadRgb(byte[] data, string source = "image")
    {
        var format = CheckHeader(data, source);
        try
        {
            if (format is JpegFormat)
            {
                if (!JpegCompleteness.EndsProperly(data))
                    throw new ImageRejectedException(ImageRejectionReason.Truncated, $"{source}: truncated JPEG (no end-of-image marker after the scan data)");
                using var rgb = Image.Load<Rgb24>(Configuration, data);
                var pixels = new byte[rgb.Width * rgb.Height * 3];
                rgb.CopyPixelDataTo(MemoryMarshal.Cast<byte, Rgb24>(pixels.AsSpan()));
                return new RgbImage(rgb.Width, rgb.Height, pixels);
            }
            using var rgba = Image.Load<Rgba32>(Configuration, data);
            return CompositeOntoWhite(rgba);
        }
        catch (Exception ex) when (ex is InvalidImageContentException or ImageFormatException or EndOfStreamException
                                       or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            throw new ImageRejectedException(ImageRejectionReason.Truncated, $"{source}: corrupt or truncated image data ({ex.Message})", ex);
        }
        catch (InvalidMemoryOperationException ex)
        {
            throw new ImageRejectedException(ImageRejectionReason.TooManyPixels, $"{source}: decoding needs more memory than the {Options.AllocationLimitMegabytes} MiB limit", ex);
        }
    }

    /// <summary>Checks a file's size and header (no pixel decoding); returns width, height and format name.</summary>
    public ImageProbe Probe(string path)
    {
        var data = ReadFile(path);
        var info = Identify(data, path, out var format);
        return new ImageProbe(info.Width, info.Height, format.Name);
    }

    /// <summary>Checks bytes' size and header (no pixel decoding); returns width, height and format name.</summary>
    public ImageProbe Probe(byte[] data, string source = "image")
    {
        var info = Identify(data, source, out var format);
        return new ImageProbe(info.Width, info.Height, format.Name);
    }

    private byte[] ReadFile(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists) throw new FileNotFoundException($"image not found: {path}", path);
        if (file.Length > Options.MaxBytes)
            throw new ImageRejectedException(ImageRejectionReason.TooLarge, $"{path}: {file.Length:N0} bytes exceeds the {Options.MaxBytes:N0}-byte limit");
        return File.ReadAllBytes(path);
    }

    private IImageFormat CheckHeader(byte[] data, string source)
    {
        Identify(data, source, out var format);
        return format;
    }

    private IImageInfo Identify(byte[] data, string source, out IImageFormat format)
    {
        if (data.LongLength > Options.MaxBytes)
            throw new ImageRejectedException(ImageRejectionReason.TooLarge, $"{source}: {data.LongLength:N0} bytes exceeds the {Options.MaxBytes:N0}-byte limit");
        if (data.Length == 0)
            throw new ImageRejectedException(ImageRejectionReason.NotAnImage, $"{source}: empty file, not an image");
        IImageInfo? info;
        IImageFormat? detected;
        try
        {
            info = Image.Identify(Configuration, data, out detected);
        }
        catch (Exception ex) when (ex is InvalidImageContentException or ImageFormatException or EndOfStreamException
                                       or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            throw new ImageRejectedException(ImageRejectionReason.Truncated, $"{source}: corrupt or truncated image header ({ex.Message})", ex);
        }
        if (info is null || detected is null)
        {
            // Tell a real but unsupported format (GIF, TIFF, TGA …) from arbitrary bytes.
            var other = Image.DetectFormat(Configuration.Default, data);
            if (other is not null)
                throw new ImageRejectedException(ImageRejectionReason.UnsupportedFormat, $"{source}: {other.Name} is not supported (use JPEG, PNG, WebP or BMP)");
            throw new ImageRejectedException(ImageRejectionReason.NotAnImage, $"{source}: not an image (JPEG, PNG, WebP or BMP expected)");
        }
        if (info.Width <= 0 || info.Height <= 0)
            throw new ImageRejectedException(ImageRejectionReason.Truncated, $"{source}: header declares an empty {info.Width}x{info.Height} image");
        if ((long)info.Width * info.Height > Options.MaxPixels)
            throw new ImageRejectedException(ImageRejectionReason.TooManyPixels,
                $"{source}: {info.Width}x{info.Height} = {(long)info.Width * info.Height:N0} pixels exceeds the {Options.MaxPixels:N0}-pixel limit");
        var ratio = (double)Math.Max(info.Width, info.Height) / Math.Min(info.Width, info.Height);
        if (ratio > Options.MaxAspectRatio)
            throw new ImageRejectedException(ImageRejectionReason.ExtremeAspectRatio,
                $"{source}: {info.Width}x{info.Height} has an aspect ratio of {ratio:0.#}:1, beyond the {Options.MaxAspectRatio:0.#}:1 limit " +
                "(resizing it to the model's input would need an unbounded buffer)");
        format = detected;
        return info;
    }

    private static RgbImage CompositeOntoWhite(Image<Rgba32> rgba)
    {
        var w = rgba.Width;
        var h = rgba.Height;
        var src = new Rgba32[w * h];
        rgba.CopyPixelDataTo(src);
        var dst = new byte[w * h * 3];
        for (var i = 0; i < src.Length; i++)
        {
            var p = src[i];
            int a = p.A;
            // out = c·a + 255·(1 − a), in integer arithmetic with rounding
            dst[3 * i] = (byte)((p.R * a + 255 * (255 - a) + 127) / 255);
            dst[3 * i + 1] = (byte)((p.G * a + 255 * (255 - a) + 127) / 255);
            dst[3 * i + 2] = (byte)((p.B * a + 255 * (255 - a) + 127) / 255);
        }
        return new RgbImage(w, h, dst);
    }

    private static Configuration CreateConfiguration(int allocationLimitMegabytes)
    {
        var config = new Configuration(
            new JpegConfigurationModule(),
            new PngConfigurationModule(),
            new WebpConfigurationModule(),
            new BmpConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
            {
                AllocationLimitMegabytes = allocationLimitMegabytes,
                MaximumPoolSizeMegabytes = 64,
            }),
            // Images are decoded many at a time by the loader: no nested parallelism per image.
            MaxDegreeOfParallelism = 1,
        };
        return config;
    }
}

/// <summary>What the header says: pixel size and format name ("JPEG", "PNG", …).</summary>
public sealed record ImageProbe(int Width, int Height, string Format);
