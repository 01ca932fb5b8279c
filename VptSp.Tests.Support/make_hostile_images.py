# Regenerates the base64 fixtures of HostileImages.cs: /usr/bin/python3 make_hostile_images.py (writes fixtures.txt).
# Hostile-but-valid upload fixtures made with PIL 9.4 (Debian python3-pil), and for each the plain RGB PNG of the
# pixels PIL decodes it to (the "plain RGB equivalent"). 40x48 smooth pattern so JPEG decoders agree closely.
import base64, io
from PIL import Image

W, H = 48, 40
src = Image.new("RGB", (W, H))
px = src.load()
for y in range(H):
    for x in range(W):
        px[x, y] = (int(255 * x / (W - 1)), int(255 * y / (H - 1)), 128 if (x // 12 + y // 10) % 2 else 40)

def enc(img, fmt, **kw):
    b = io.BytesIO(); img.save(b, fmt, **kw); return b.getvalue()

def rgb_png_of(data):
    im = Image.open(io.BytesIO(data)); im.load()
    if im.mode in ("P", "RGBA", "LA", "PA") or "transparency" in im.info:
        im = im.convert("RGBA"); bg = Image.new("RGBA", im.size, (255, 255, 255, 255)); im = Image.alpha_composite(bg, im)
    return enc(im.convert("RGB"), "PNG")

out = {}
cmyk = enc(src.convert("CMYK"), "JPEG", quality=95)
out["CmykJpeg"] = cmyk; out["CmykJpegRgb"] = rgb_png_of(cmyk)
prog = enc(src, "JPEG", quality=95, progressive=True)
out["ProgressiveJpeg"] = prog; out["ProgressiveJpegRgb"] = rgb_png_of(prog)
exif = Image.Exif(); exif[0x0112] = 6  # Orientation: rotate 90 CW to display
rot = enc(src, "JPEG", quality=95, exif=exif.tobytes())
plain = enc(src, "JPEG", quality=95)
out["ExifRotatedJpeg"] = rot; out["SameJpegWithoutExif"] = plain
pal = src.quantize(colors=64)
tr = pal.getpixel((0, 0))
palbytes = enc(pal, "PNG", transparency=tr)
out["PalettePngWithTransparency"] = palbytes; out["PalettePngWithTransparencyRgb"] = rgb_png_of(palbytes)
# sanity: the transparent index really is transparent in the RGB equivalent
assert Image.open(io.BytesIO(out["PalettePngWithTransparencyRgb"])).getpixel((0, 0)) == (255, 255, 255)
assert Image.open(io.BytesIO(prog)).info.get("progressive") or Image.open(io.BytesIO(prog)).info.get("progression")
assert Image.open(io.BytesIO(cmyk)).mode == "CMYK"
assert Image.open(io.BytesIO(rot)).getexif().get(0x0112) == 6
for k, v in out.items():
    print(k, len(v))
with open("fixtures.txt", "w") as f:
    for k, v in out.items():
        f.write(k + " " + base64.b64encode(v).decode() + "\n")
