namespace VptSp.Core.Data.Images;

/// <summary>Area (box-average) resampling, exact for any ratio: each output pixel averages the input area it covers.</summary>
public static class AreaResize
{
    /// <summary>RGB values in [0,1], HWC order, of <paramref name="image"/> area-resized to width × height.</summary>
    public static float[] ToUnitFloats(RgbImage image, int width, int height)
    {
        var src = image.Pixels;
        int sw = image.Width, sh = image.Height;
        var dst = new float[width * height * 3];
        var sx = (double)sw / width;
        var sy = (double)sh / height;
        for (var oy = 0; oy < height; oy++)
        {
            double y0 = oy * sy, y1 = (oy + 1) * sy;
            for (var ox = 0; ox < width; ox++)
            {
                double x0 = ox * sx, x1 = (ox + 1) * sx;
                double r = 0, g = 0, b = 0, area = 0;
                for (var iy = (int)y0; iy < Math.Min(sh, (int)Math.Ceiling(y1)); iy++)
                {
                    var wy = Math.Min(y1, iy + 1) - Math.Max(y0, iy);
                    if (wy <= 0) continue;
                    for (var ix = (int)x0; ix < Math.Min(sw, (int)Math.Ceiling(x1)); ix++)
                    {
                        var wx = Math.Min(x1, ix + 1) - Math.Max(x0, ix);
                        if (wx <= 0) continue;
                        var w = wx * wy;
                        var p = (iy * sw + ix) * 3;
                        r += w * src[p];
                        g += w * src[p + 1];
                        b += w * src[p + 2];
                        area += w;
                    }
                }
                var o = (oy * width + ox) * 3;
                dst[o] = (float)(r / area / 255.0);
                dst[o + 1] = (float)(g / area / 255.0);
                dst[o + 2] = (float)(b / area / 255.0);
            }
        }
        return dst;
    }
}
