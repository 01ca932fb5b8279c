using System.Buffers.Binary;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace VptSp.Tests.Web.Support;

/// <summary>Real files for the bad-upload cases: other formats, cut-off images, a decompression-bomb header.</summary>
public static class CraftedImages
{
    public static byte[] Text() => Encoding.UTF8.GetBytes("query,label\nthis is a CSV file, not an image\n");

    public static byte[] Gif()
    {
        using var image = new Image<Rgb24>(16, 16, new Rgb24(200, 30, 30));
        using var ms = new MemoryStream();
        image.SaveAsGif(ms);
        return ms.ToArray();
    }

    public static byte[] Tiff()
    {
        using var image = new Image<Rgb24>(16, 16, new Rgb24(30, 200, 30));
        using var ms = new MemoryStream();
        image.SaveAsTiff(ms);
        return ms.ToArray();
    }

    /// <summary>A noisy 64×64 image encoded as JPEG or PNG, cut after <paramref name="fraction"/> of its bytes.</summary>
    public static byte[] Truncated(bool jpeg, double fraction = 0.5)
    {
        var rng = new Random(5);
        using var image = new Image<Rgb24>(64, 64);
        for (var y = 0; y < 64; y++)
        for (var x = 0; x < 64; x++)
            image[x, y] = new Rgb24((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256));
        using var ms = new MemoryStream();
        if (jpeg) image.SaveAsJpeg(ms); else image.SaveAsPng(ms);
        var all = ms.ToArray();
        return all[..(int)(all.Length * fraction)];
    }

    /// <summary>A valid PNG signature and IHDR (correct CRC) declaring <paramref name="width"/>×<paramref name="height"/> RGB pixels, then one tiny IDAT and IEND.</summary>
    public static byte[] PngHeader(int width, int height)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;   // bit depth
        ihdr[9] = 2;   // colour type: RGB
        Chunk(ms, "IHDR", ihdr);
        Chunk(ms, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]); // an empty zlib stream
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        s.Write(header);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(header, Crc32(typeAndData));
        s.Write(header);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
