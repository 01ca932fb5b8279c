using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace VptSp.Tests.Core.Data;

/// <summary>A temporary folder removed on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vptsp-data-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Writes real image files (ImageSharp encoders) and text files for the layout tests.</summary>
public static class DataFixtures
{
    /// <summary>A JPEG of one flat colour (value derived from <paramref name="seed"/>).</summary>
    public static string Jpeg(string path, int width = 12, int height = 8, int seed = 0)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        using var img = new Image<Rgb24>(width, height, new Rgb24((byte)(seed * 37), (byte)(seed * 91), (byte)(seed * 13)));
        img.Save(path, new JpegEncoder { Quality = 90 });
        return path;
    }

    /// <summary>A PNG filled with <paramref name="colour"/> (RGBA, so alpha can be tested).</summary>
    public static string Png(string path, Rgba32 colour, int width = 8, int height = 8)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        using var img = new Image<Rgba32>(width, height, colour);
        img.Save(path, new PngEncoder());
        return path;
    }

    /// <summary>An opaque PNG with R = 12·x + offset, G = 15·y, B = <paramref name="blue"/> (varies across the image, so crops and flips show).</summary>
    public static string GradientPng(string path, int width, int height, byte blue, int offset = 0)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        using var img = new Image<Rgba32>(width, height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                img[x, y] = new Rgba32((byte)((12 * x + offset) % 256), (byte)(15 * y % 256), blue, 255);
        img.Save(path, new PngEncoder());
        return path;
    }

    public static string Text(string path, string content)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A file that has a .jpg name but garbage content.</summary>
    public static string Garbage(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, "this is not an image at all"u8.ToArray());
        return path;
    }
}
