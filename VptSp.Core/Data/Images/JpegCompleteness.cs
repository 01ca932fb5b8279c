namespace VptSp.Core.Data.Images;

/// <summary>
/// ImageSharp decodes a JPEG cut off inside its scan data without complaint (the missing rows come out grey), so
/// a truncated upload would be searched as if it were whole. This walks the marker segments from SOI to the first
/// top-level SOS (skipping APPn segments, which may hold a complete embedded thumbnail) and requires an EOI marker
/// after it: entropy-coded data byte-stuffs 0xFF, so FF D9 there can only be the real end of the image.
/// </summary>
internal static class JpegCompleteness
{
    public static bool EndsProperly(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8) return false;
        var i = 2;
        while (i + 3 < data.Length)
        {
            if (data[i] != 0xFF) return false;
            var marker = data[i + 1];
            if (marker == 0xFF) { i++; continue; }            // fill byte
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7)) { i += 2; continue; } // no length
            if (marker == 0xD9) return false;                 // EOI before any scan
            var length = (data[i + 2] << 8) | data[i + 3];
            if (length < 2 || i + 2 + length > data.Length) return false;
            if (marker == 0xDA) return data[(i + 2 + length)..].IndexOf([(byte)0xFF, (byte)0xD9]) >= 0;
            i += 2 + length;
        }
        return false;
    }
}
