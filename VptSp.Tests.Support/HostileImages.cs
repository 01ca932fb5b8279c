using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace VptSp.Tests.Support;

/// <summary>
/// Valid but unusual or hostile images for the upload and dataset paths. The JPEG and palette files were made with
/// PIL 9.4 (an independent encoder and decoder) from a 48×40 smooth pattern: a CMYK JPEG, a progressive JPEG, a JPEG
/// whose EXIF says "rotate 90°" (orientation 6), a palette PNG whose first colour is transparent, each with the plain
/// RGB PNG of the pixels PIL decodes it to (transparency composited onto white). The script is
/// VptSp.Tests.Support/make_hostile_images.py. Extreme shapes and the 16-bit PNG are made here with ImageSharp.
/// </summary>
public static class HostileImages
{
    /// <summary>(name, unusual encoding, plain RGB equivalent of the same pixels).</summary>
    public static IEnumerable<(string Name, byte[] Image, byte[] PlainRgb)> AcceptedPairs()
    {
        yield return ("cmyk-jpeg", Decode(CmykJpegBase64), Decode(CmykJpegRgbBase64));
        yield return ("progressive-jpeg", Decode(ProgressiveJpegBase64), Decode(ProgressiveJpegRgbBase64));
        yield return ("palette-png-with-transparency", Decode(PalettePngWithTransparencyBase64), Decode(PalettePngWithTransparencyRgbBase64));
        yield return ("exif-rotated-jpeg", Decode(ExifRotatedJpegBase64), Decode(SameJpegWithoutExifBase64));
        var (sixteen, eight) = SixteenBitPng();
        yield return ("16-bit-png", sixteen, eight);
    }

    public static (string Name, byte[] Image, byte[] PlainRgb) Accepted(string name) => AcceptedPairs().Single(p => p.Name == name);

    /// <summary>A valid PNG of <paramref name="width"/>×<paramref name="height"/> (few pixels, an extreme shape when one side is 1).</summary>
    public static byte[] Png(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            image[x, y] = new Rgb24((byte)(x * 7), (byte)(y * 5), 90);
        using var ms = new MemoryStream();
        image.SaveAsPng(ms);
        return ms.ToArray();
    }

    /// <summary>A 16-bit-per-channel RGB PNG whose values are v·257 and the 8-bit PNG of v: identical after conversion to 8 bits.</summary>
    public static (byte[] Sixteen, byte[] Eight) SixteenBitPng()
    {
        const int w = 48, h = 40;
        using var wide = new Image<Rgb48>(w, h);
        using var narrow = new Image<Rgb24>(w, h);
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            var (r, g, b) = ((byte)(255 * x / (w - 1)), (byte)(255 * y / (h - 1)), (byte)((x / 12 + y / 10) % 2 == 1 ? 128 : 40));
            narrow[x, y] = new Rgb24(r, g, b);
            wide[x, y] = new Rgb48((ushort)(r * 257), (ushort)(g * 257), (ushort)(b * 257));
        }
        using var a = new MemoryStream();
        wide.SaveAsPng(a, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb });
        using var b8 = new MemoryStream();
        narrow.SaveAsPng(b8);
        return (a.ToArray(), b8.ToArray());
    }

    private static byte[] Decode(string base64) => Convert.FromBase64String(base64);

    private const string CmykJpegBase64 =
        "/9j/7gAOQWRvYmUAZAAAAAAA/9sAQwACAQEBAQECAQEBAgICAgIEAwICAgIFBAQDBAYFBgYGBQYGBgcJCAYHCQcGBggLCAkKCgoKCgYICwwLCg" +
        "wJCgoK/8AAFAgAKAAwBEMRAE0RAFkRAEsRAP/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQEC" +
        "AwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dX" +
        "Z3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/aAA4E" +
        "QwBNAFkASwAAPwD8Sfg7/wAs/wAK/Fn/AIUT/wBOf/jtfk/X7+V9W/BzpF9RR/won/pz/wDHa+sP+CYH/M8f9wz/ANu6K+rvg50h/Cj/AIUT/w" +
        "BOf/jtfWFFfV3wc6w/hR/won/pz/8AHa/J+ivq74OdYvoKP+FE/wDTn/47X1h/wTA/5nj/ALhn/t3RX1d8HOsX1FH/AAon/pz/APHa+sKK/ia+" +
        "Dv8Ayz/CvtH/AIUOf+fP/wAdryf/AIYd/Zc/6Jh/5Wr3/wCPUV9W/BzpF9RR/wAKHP8Az5/+O15P+1B/xhn/AGH/AMM2f8U3/wAJJ9p/tr/l8+" +
        "0fZ/K8n/j683Zt8+X7uM7uc4GCvq74OdIfwo/4UOf+fP8A8dryf/huL9qP/op//lFsv/jNFfV3wc6w/hR/woc/8+f/AI7X1h/ww7+y5/0TD/yt" +
        "Xv8A8eor6u+DnWL6Cj/hQ5/58/8Ax2vJ/wBqD/jDP+w/+GbP+Kb/AOEk+0/21/y+faPs/leT/wAfXm7Nvny/dxndznAwV9XfBzrF9RR/woc/8+" +
        "f/AI7Xk/8Aw3F+1H/0U/8A8otl/wDGaK/ia+Dv/LP8K+0f+FEf9OX/AI7XrH/Dz/8A6of/AOXL/wDc1FfVvwc6RfUUf8KI/wCnL/x2j/lJD/1J" +
        "n/CGf9xH7Z9r/wC/Pl7Psv8Atbt/bbyV9XfBzpD+FH/CiP8Apy/8do/4dgf9Vw/8tr/7por6u+DnWH8KP+FEf9OX/jtH/Dz/AP6of/5cv/3NRX" +
        "1d8HOsX0FH/CiP+nL/AMdo/wCUkP8A1Jn/AAhn/cR+2fa/+/Pl7Psv+1u39tvJX1d8HOsX1FH/AAoj/py/8do/4dgf9Vw/8tr/AO6aK/ia+Dv/" +
        "ACz/AAr7S/4UOP8AnyH/AHzXk/8Aww7+1H/0TD/ytWX/AMeor6t+DnSL6ij/AIUOP+fIf9816x+y/wD8YZ/25/w0n/xTf/CSfZv7F/5fPtH2fz" +
        "fO/wCPXzdm3z4vvYzu4zg4K+rvg50h/Cj/AIUOP+fIf9816x/w3F+y5/0U/wD8ot7/APGaK+rvg51h/Cj/AIUOP+fIf9818n/8MO/tR/8ARMP/" +
        "ACtWX/x6ivq74OdYvoKP+FDj/nyH/fNesfsv/wDGGf8Abn/DSf8AxTf/AAkn2b+xf+Xz7R9n83zv+PXzdm3z4vvYzu4zg4K+rvg51i+oo/4UOP" +
        "8AnyH/AHzXrH/DcX7Ln/RT/wDyi3v/AMZor+Jr4O/8s/wr7R/4UOf+fI/9816xRX1b8HOkX1FH/Chz/wA+R/75r5P/AOCn/wDzI/8A3E//AG0o" +
        "r6u+DnSH8KP+FDn/AJ8j/wB818n0V9XfBzrD+FH/AAoc/wDPkf8Avmv1gor6u+DnWL6Cj/hQ5/58j/3zXyf/AMFP/wDmR/8AuJ/+2lFfV3wc6x" +
        "fUUf8AChz/AM+R/wC+a+T6K//Z";

    private const string CmykJpegRgbBase64 =
        "iVBORw0KGgoAAAANSUhEUgAAADAAAAAoCAIAAAA35e4mAAABpElEQVR4nO2XUY6EIAxAH4h4lT3RfnjCyZ5R6X6YuphZ0BKSmUlsjGlQn6W0pT" +
        "j4GmG7JlVGiH+KROYR2Qdj9jQbfIxP4/GAksgckSf+QQ9E3koC06tNOMrtoTO5PXQmH+YhBwJyVBrEwAnE0rMEAh58pm/jpb924ASm7wJo0O8F" +
        "flRJMBTe78MJRF8ALeAUlxQRYC2834cTmKQACiCwggfJJlr6cR9OJagX8OAgKWufqElsnErae41Tl31stcbMqae96N2XV+SKGDgVD4km6gCrOr" +
        "nBMhvndOtwsEBoWqwWTj2GtgAMmrpbEFiLtY1T8dA2FdGo3LLU2ZfMxgnERwG0zyDBnLm65KE+nLqH8r1w93yDhwycegwlLWJ5cWuIIQPnepat" +
        "rb2HjVOvQ053n1X1BptsnOuVOh9psOkqp2KQ14zIlzyVd/s+nMqSLZoUKbs3lGwbx9QPrar8K304ganS6XkY1NV7H9PQMRo4gVjqhfdW3MEj62" +
        "ZKP+7DqZw68tqa9Ngg5aXpwzk9l5GVjeYezcD5sJPrC+T20JncHjqTtzPoF44WyCwKyu5fAAAAAElFTkSuQmCC";

    private const string ProgressiveJpegBase64 =
        "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDA" +
        "sKDAkKCgr/2wBDAQICAgICAgUDAwUKBwYHCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgr/wgARCAAo" +
        "ADADASIAAhEBAxEB/8QAGQABAQEAAwAAAAAAAAAAAAAABQYAAwcI/8QAGQEAAwADAAAAAAAAAAAAAAAABQYHBAgJ/9oADAMBAAIQAxAAAAHxbS" +
        "VKrBgi81TSCKtLUjSoerdftPUAnn5NtVCAerAtUb4irQCGxDQRCu2TK2ghsl1r/8QAGxAAAwEAAwEAAAAAAAAAAAAAAAMFBAECExT/2gAIAQEA" +
        "AQUCROJ84ROETifOEThEdZ0neQjIwRHWdZ3iIyMEZxE76BEURnETvoERREdhjneIjIoRHYZJ3kIyLETjmcInCJxzOETj/8QAHhEAAgEFAQEBAA" +
        "AAAAAAAAAAAQUAAgMREiEEEyL/2gAIAQMBAT8BUPBcxSDErn5YyYnbG5ioGKHFAA1PYlc7Y3MUOqwRqeRF6r247FvqvfnsReq9oOz/xAAtEQAA" +
        "AwQIBQUBAAAAAAAAAAABAxEABAVBAgYSExQhMVEVYXGBsRYiIzKCwf/aAAgBAgEBPwERPhBuLOpANGjtrnlNN2iUU9QphxSxra59F2YazEQgrC" +
        "HKNKjtpnnMQ3YY1EXg27f1uh1ULIcs0CaTaJRPCJwoVX7Wff03SbC+w54KvH8QvR1UbI8slCSSasjwbwszt5BoA8G/N+f61ZHg3ihnbwDf/8QA" +
        "IBAAAQIGAwEAAAAAAAAAAAAAAAERAiExMjPhEyOhIv/aAAgBAQAGPwKgsi0oLIoYxONGc0YxONGc0Yi1mK+GItZivhjOyFnNGM7IWc0UIfktLS" +
        "GRaf/EAB8QAAIBBAMBAQAAAAAAAAAAAAAhMQEQocFhgfFR8P/aAAgBAQABPyEOJIBEcTa+lU7ZBVhXap3iH2j8qi22QnFsLbdt9Kg1wAgwjtQf" +
        "4AVsecIRCM6Qj//aAAwDAQACAAMAAAAQzxxqeMDAD//EAB4RAAEEAgMBAAAAAAAAAAAAAAABESFhQfAQMYHR/9oACAEDAQE/EEiQUyU7dUKECo" +
        "slSXPImePgklTJuWDeVwN//8QAHBEBAQEAAwEBAQAAAAAAAAAAEQEhADFBcWFR/9oACAECAQE/EIpgsu2gSRHcOzH5z9K/ByH1qeD5BbC02kS0" +
        "dQsmv3kMBnPCKkMjDSanP1g+A2/2HTvZkNCY3wopDIwwurzufN7HHufF/8QAJRAAAgAEBgIDAQAAAAAAAAAAABEBITHwUXGRwdHhobFBYfGB/9" +
        "oACAEBAAE/EHradOzPzD8U6dmUdpKWNT7fKW0lV4xOmOCyHsj4uUtpKrxJPY4I0rfBQv4JnoqG0WiVVuhoQlM9FQoXeSUsan0EUtpujxO8OC4n" +
        "shYUUtpujxgfJaxcEaW0jcDIjSehGewRuFkRqvA//9k=";

    private const string ProgressiveJpegRgbBase64 =
        "iVBORw0KGgoAAAANSUhEUgAAADAAAAAoCAIAAAA35e4mAAAJmElEQVR4nD2YTa8sSVJEj5lH1r3vdU/PDPRskBBsWLJG/P8VEv8AJDZ8ab6koa" +
        "e79V5lmLGIurNJqbIyIyM8PMyOu8w/jDSsRR/aV/vgepQ3deke9tXffKd/dr4fPZd7ZR7imzDcy7H6yOfP81vf//JJv3v03epyFvfn+AHvfVh7" +
        "9HX1N9/6n6/9/WJf3g+42qvXGzzYlzAae81lS6YWrkaa1pVUodHSvpgqtUd0YBVXg6WOZ4pkM9KYjixhLRUHiIltOlZwB0lCUE0xkgx7JNPVh5" +
        "CErIgtEFVroQo9vJfWVp7S8vkXlAqssTxseVsLryJchFgUektfoOihwDzJ1zLUqFB6rpErilh9awGJVrIIraUqFEGDZjutqAS7pbEYqRYhMqGy" +
        "cCSJoipWjc8wJsMKSTqVoNCUNihIIKTF+xOmXUFQFDIF/ATQV/Kl0wQTzqfaZhWivWEwo3p3NoA2QmzlooIHKnLjzoM8QAXUnO/F8YaWBbPyQC" +
        "INGNoaHFI5zmZ7J1MH1NKIoCS7EiCAeuMyOR+TokrJx/55C9IO7FaqEmUgTQGctvTk0FWBnkC7qGBDTpjpYi9maVsGNSY0cZsTVAEu43pQVISF" +
        "lZOHwZXi/ZRDau2PldTcwqo5x0jPxdugXRVoUgwUIoyR2ZYXsVUJGZU24iwfURlM3aDIbRGkm1hUwdGuXaUGqwP+S+LEA1YlLb0XjNqzJ+wwU4" +
        "MB5P2030ZPSR08ltsBF7ONjT0ro4zaiVR2y1YHWqEpaCR3td7M2K2pWVMPMZixuuq/imipstWJyqS6wVY9M99s/zDrxvfIExZexGSBqbrwz+Fz" +
        "9P0tu97kVoaqorI12tan+s+0wmNPO8gZYes+ewFa79/8k5WL5xt9wEUfXYte6iVWuPTT1/u/oz/tfgl6n+Xq60lm9tnF7E+/+OXfX/3mwld7OV" +
        "d5wAO/ZR7k0tfVPz33/6Q/Bd/03brRnrXb0q07eo6ybv9qxHDfrlPDraVWRIq9uP6Yr//m6/eLe0m+Zcm12dLJNzffd97v/SthCbWyLBSZcfea" +
        "rUn2v1/+43hdldimzhzFl25xy1l83kWR00Ii7drRWqWl4+vx7M1jNyLSm2irZzm6OJIbsbZ6V67cSKgOLVJ2o0vzyBcyJ0/3cqDConRXKp+KVt" +
        "+OeCgQdMZodes22kkfdTxvs6KJDNKWfI7tCYk3XaKg0pihkVJxE1XP9LEqvNaoGsbahmOaE1sMNl69dFzEYpOFSwC5ahU6z6m8xIbpVi2XRLQJ" +
        "zwjteJl9WRjpyKtkbY0M2mXtenfCbYOFKaQc6xJ8RV286cymqquq5ijyswxRVZk42pJHOt45KrCNZbzbQbeOqlBeyidXYcSzumTi1R4n1mvlfq" +
        "XdRj0TslpJVsUeEPJr1ihLs/Lcnbs1IqVCWQaamoiMPWV2zRammxMmqCRfHlubRLf9HmsXy6kjNhk1rdTVhyp61qTXEMCapahRjSyNUu7mEsI0" +
        "IB+KMIQO7OAjp+phiHoJlX0se8bjhjTLx/B1khbhyNbqO8Fpwwo5Ugctt5ZWselenaG2USJu6uJSJDRsacVbI73wqi+/aishEoc9T89QxO49Qk" +
        "EgldfStfT+W0vinJqAXZuOulRVzZ+1v93t3drVdLc3x8UObMr+pLeflN+LteRpl1hl2ssdkNv+yP2LxLs8HbND4xW8yYKNi1bnX28OSKhs1eoj" +
        "CO7Nfsif57tvHn/z7m/He5oxg1Z6iUtc0QO/6eefvvzH2/q5XWptdnkqwqDNXuTN33z7+W/f+e4B0/3QXvTR64GvcsESlpbf/jDqkpe62gXTx6" +
        "qWsmBoo/rzzl/Hd9n2pOxhg6jHLfEf4SfWH1wbVAZGuF0cJ98U6VP661tqM46qdG5k9BrNXuvywNiLrHapiz2VjljNsIfpTmaELhLXA1B6SLis" +
        "4vFIbKBoS3c7dfde0izryNj9nDUSiYp3MY16E4koLx068EPTF14yRU1dZntZUcdpFBsqJBMQpToTHMOLI0PBNCtWyaBxr2Gvit2Opz1nEXRsEV" +
        "nrfpORkGzxNF0dl/rZ3F4Xz81K7l4Ps6HsMqfsODJTXqWNClN8POUoZNDd2EynVmZFo260z2F3Ze0X9borb5UojVNKoYcIo9IpoDfrKVZ9+RVa" +
        "Wd0WLiCP+AqzDniCRU71URJkk711+VQARkguZokYjTzMiMV7gGr70OQZscLXcOqapYcr6h6lpq8yr4AiiLdxrQ1LLTvH6mmxkEZ6xo/tr1+t25" +
        "VfMLn7seVHvpYeErV7WA5I23IXO9Cl8mDGo46tUB1plRW1SB53DmA36rQQiqS0IRm5e72BvHSc7CDT4eaBVDkTepO2iBXXosIlnlZNy63burZI" +
        "6mcfc8MNq5ScmodFvTv3h9BnirF61H1LmVGHWRIO0QD3ScQ2aeoba2V+VWp1w24HR97sp3eJZrS+KT8YLtXsg8FT61B6Kxb+uV/et355swzuft" +
        "IVy8Is9hJ++zb68Vqyr8VGN8eIZVqjUeyu9d0/LvrAD3jLPOpLHvqYe7oXWv3xef+n+KF47fsygeDidt8SWu2n7777u5X3pbXEgzzqR72q5Tza" +
        "q1z685fnf8GPqaf7mr0BTSvwiWjR2vNrqPHUt3TKGkFcuh9e9v8y/1f9brSmGWXKHEXm9ElMvu/6nP3rreXjveiOVVm56VV56akfsv6gU/c4Iz" +
        "mac/JBGZnFwz69F6jY7LSUyKvObOlMUy9RsM7xoEUuHdBOLzXzYkV6HgdO0Qe7vr18Xj93RwwH+FIk7tcp65E0sU8T5ZTZdU9TxJXssRCK6kMF" +
        "R45HkK1RH4fKQKjqSzFVnbIvdXKjQZVOYfwBryomobYWb4d/XLBS0fTVoECljPD58mmsnPd9qEknEsGXtIEjUS+GbQ+s8TKnoabtq4bmg3ShWB" +
        "J09fHxDvSga9semANJLlKnQaZ5PcKhsx6l3MlV50z6PNOg4QWOlM6pmo6ipmxOm6KBI4OtWHo/PaHTSegLYY/ICgimhnktCMiLUNumUkVu9UE2" +
        "OYxI80qVE4kCTDrBf1muXsmhE7NX42Ll8WpU8bKEDzv6aLgxVGGdBtLpdrxyqC/+hkFXu//SntFL8PqxhToV5UeEPmD6VQT0o41CF2829ik8GL" +
        "RdVAssmzCyJUsfO/96/iNhhBxpyZFaa8RxRuuIjGwiG1kegbul0w6x6QEgSYI1l10Jn6wd2bXLYJ2ftk+/Ag+cq3vyoYMsZs+s5djl3DcYTzXI" +
        "J0DjyrY/Wjm2OBox1UeC9f8BDU7m3D014mYAAAAASUVORK5CYII=";

    private const string ExifRotatedJpegBase64 =
        "/9j/4AAQSkZJRgABAQAAAQABAAD/4QAiRXhpZgAATU0AKgAAAAgAAQESAAMAAAABAAYAAAAAAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAg" +
        "UEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/2wBDAQICAgICAgUDAwUKBwYHCgoKCgoKCgoKCgoKCgoKCgoKCgoK" +
        "CgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgr/wAARCAAoADADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8" +
        "QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdI" +
        "SUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+" +
        "Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJB" +
        "UQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhY" +
        "aHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD8" +
        "XNC+HWcfuP0r0j4e/Dr/AFv7j+72+teo6F8H9N4/4l//AI83+NdVZ/Dj+yPK/s6Dy/Mzv4znGMdc+pr9BlPHcIYpZvjKkZU6V7qDbk+ZcispKK" +
        "3kr6rS/oeJwhxxHEKNOMtWcZoXw6+7/o/6Vc0H4dfd/cfpXqOg+EtT+X5v/IY/wr0jQfg/pny/8S//AMeb/GvkOJOKP+Ih8v8AZ0uT2F+b2ml+" +
        "e1rcvP8AyO97dLX6f1ZwXxl9U5eeV7228jy74e/Dr/W/uP7vb616RoPw66fuP0rs7T4cHR/K/s6Dy/Mzv4znGMdc+tdVoPhLU+Pm/wDIY/wr4+" +
        "XiZgeEMKsoxnNKpSvdws4vmfOrOUovaSvdLW/qf1ZwfxZLEONSM9GeAaF4dPH/ABK//H//AK1dnoPw5/4SHbi38nyfbdnP5Y6V3uhfB/UuP+Jf" +
        "/wCPL/jXf+D/AIc/2Pu/tG38vzMbOM5xnPTPrXykuNOI8xxSw+fcywkr87nBU46K8bzUY299Rt7yu7LW9j/n44Q4wowjF0pe901ueb6F8Ffu/v" +
        "vp+5/+vXa6D4e+6f7L/wDH/wD61eoaF4S0v5fm/wDIZ/wroNC+D+pfL/xLv/Hl/wAa+P4k4n/sjl/1Vlzc1/aez/fbW5L35+XeVtr6720/qzgr" +
        "jL2nL7eXa19P8jgtB+HP/CQ7f9H8nyenG7Ofyx0rtNB+CvT97/5B/wDr16P4Q+HI0jd/aNv5fmY2cZzjOemfUV32g+E9M+Xn84z/AIV8hLOuHM" +
        "xwqxGfTisXK/OpzdOWjtG8FKNvcUbe6rqz1vc/qzhDjStCUVSl7vTqeAaF8OTx+4/Sugn+HJ/0f/R/73b6UUV9D4k5hiv9VsTr/J/6XE/wK4Ez" +
        "XGe2h739WOg0L4cn5R9n/SvXNC+HJyv+j/pRRX4xwBmGK/2zX/n3/wC3n9a8NZrjf3fvf1odBP8ADk/6P+4/vdvpXQaF8OT8ubf9KKK/GPEnMM" +
        "V/rTidf5f/AEiJ/WvAuaYz2EPeP//Z";

    private const string SameJpegWithoutExifBase64 =
        "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDA" +
        "sKDAkKCgr/2wBDAQICAgICAgUDAwUKBwYHCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgr/wAARCAAo" +
        "ADADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhBy" +
        "JxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKT" +
        "lJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAA" +
        "AAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRom" +
        "JygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExc" +
        "bHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD8XNC+HWcfuP0r0j4e/Dr/AFv7j+72+teo6F8H9N4/4l//AI83" +
        "+NdVZ/Dj+yPK/s6Dy/Mzv4znGMdc+pr9BlPHcIYpZvjKkZU6V7qDbk+ZcispKK3kr6rS/oeJwhxxHEKNOMtWcZoXw6+7/o/6Vc0H4dfd/cfpXq" +
        "Og+EtT+X5v/IY/wr0jQfg/pny/8S//AMeb/GvkOJOKP+Ih8v8AZ0uT2F+b2ml+e1rcvP8AyO97dLX6f1ZwXxl9U5eeV7228jy74e/Dr/W/uP7v" +
        "b616RoPw66fuP0rs7T4cHR/K/s6Dy/Mzv4znGMdc+tdVoPhLU+Pm/wDIY/wr4+XiZgeEMKsoxnNKpSvdws4vmfOrOUovaSvdLW/qf1ZwfxZLEO" +
        "NSM9GeAaF4dPH/ABK//H//AK1dnoPw5/4SHbi38nyfbdnP5Y6V3uhfB/UuP+Jf/wCPL/jXf+D/AIc/2Pu/tG38vzMbOM5xnPTPrXykuNOI8xxS" +
        "w+fcywkr87nBU46K8bzUY299Rt7yu7LW9j/n44Q4wowjF0pe901ueb6F8Ffu/vvp+5/+vXa6D4e+6f7L/wDH/wD61eoaF4S0v5fm/wDIZ/wroN" +
        "C+D+pfL/xLv/Hl/wAa+P4k4n/sjl/1Vlzc1/aez/fbW5L35+XeVtr6720/qzgrjL2nL7eXa19P8jgtB+HP/CQ7f9H8nyenG7Ofyx0rtNB+CvT9" +
        "7/5B/wDr16P4Q+HI0jd/aNv5fmY2cZzjOemfUV32g+E9M+Xn84z/AIV8hLOuHMxwqxGfTisXK/OpzdOWjtG8FKNvcUbe6rqz1vc/qzhDjStCUV" +
        "Sl7vTqeAaF8OTx+4/Sugn+HJ/0f/R/73b6UUV9D4k5hiv9VsTr/J/6XE/wK4EzXGe2h739WOg0L4cn5R9n/SvXNC+HJyv+j/pRRX4xwBmGK/2z" +
        "X/n3/wC3n9a8NZrjf3fvf1odBP8ADk/6P+4/vdvpXQaF8OT8ubf9KKK/GPEnMMV/rTidf5f/AEiJ/WvAuaYz2EPeP//Z";

    private const string PalettePngWithTransparencyBase64 =
        "iVBORw0KGgoAAAANSUhEUgAAADAAAAAoCAMAAACPWYlDAAAAwFBMVEXu7ijL7jfuyjrLykKo9YCH9W6a4Xmoym6HymRn9ShG9TpZ4S8b9YAb4Y" +
        "BnyjpGykQoym4Kym7upoDLpnHuhmrLhmOorSiHrTqamS+ahkJnrYBGrW5ZmXlZhmYbrSgbmSgbhj7uZSjLZTfuRD7LREWobICHbG6aWHmaRGbu" +
        "J4DLJ3HuCoDLCnGoJyiHJzqoCiiHCjpnbChGbDpZWC9nRD5GREcbbIAbWIAbRGpnJ4BGJ25nCoBGCm4oJygKJygbCig7uI6iAAAAQHRSTlP///" +
        "////////////////////////////////////////////////////////////////////////////////8AwnuxRAAAATFJREFUeJzly9lSgzAU" +
        "gGGqgCwiuEEndNSi0BHXgGuV+v5vZUJOwhkGAxd1vPC7/n/jC/lkPsAj8wBuuRvB+P1hs4G6aZqJA8NrZs28g3vmDpTctSCG5p8Nb531c809tV" +
        "ZKWV4xl8B4Req6O1boGBvaBQ15xi2F4YFS2uX5+EDRkPeHF6SqZE5pUchcO1SQ86GAXD9UaCj+aLhQqmqhFMVcybJT5gQY58gCHXNkykBQHx9z" +
        "R8LwQEg3xPH4QNAQ94czJE1lTkiSyFw7pJDzIYFcP6RoSLY+hJOGQy4SwjA8kBzH2ZN2mR3QG3zfV4Nt2z8MAdcOfksMdmtoCEAU+RIbbIkNM0" +
        "YNAaIG13XVYJomH2YGGBpcNJj9YR/xPJm7rmXJXDt4kPPBglw/eGiwtjJ8A9aO8keWwgVBAAAAAElFTkSuQmCC";

    private const string PalettePngWithTransparencyRgbBase64 =
        "iVBORw0KGgoAAAANSUhEUgAAADAAAAAoCAIAAAA35e4mAAACSElEQVR4nO2YW2sTQRzFjzrQ4tItzUxdEDcYtg+Ja4SAzy0WVPw0fj8fBN+F4K" +
        "W2ggGxIL0kSrZsaaASHyY7mWRuu0lY9iHnJf+ZPUx+TCZnZvbOeDyGS6+9t6JuoKb1PMY7yfNH64nwZra5rXruOmlKVuWAiNdsAUhPjtVnrWaL" +
        "F3W8Kg+If3jZd6cnx4JjqrA0HuUn09CUq8qtoTWQS5UDIjvhody+UhzxKUH4nbIz3kwAAH5/PmQpOxB1ogzS6d4AQPhV9EQY6YHAHtiRjxj2cT" +
        "bXmbChymRRt7M5YXKJ5B90TgkbQjdVJvVebkej6dz1gAjDVQJN1LyYFH2jxWcb+cdbalH7TL8OZj0FaAAQMLdpAA8A7acWlAFLAdC+tzAKV4EZ" +
        "GjCPo1gmhmP5bGMxmmJAgsnlSZ0eiyoXjJUDInj43vI4/n0LgLZtKfzsSwqAtj9YPJ2PmwDQeCp6IugXGQG90D7gOqIAsG9xAJ/bHmeyqPv8Bk" +
        "BnYHdxoFXo54saNQcjl89G2PJFs2e4dSwLlOfvnSc/hZZM6hXTIHdSu1OYR5Q9zfOoUFK7UzhPmq8MCPlSOE+aW1S5YHQDxeGjEjiEyN9w5ppc" +
        "Vxy/gHr4jdcNXJuHepJ57ps9n0QVQX+iLZBDNLicnPDPjauEBruZZ8E9fwq0E9Qg3Tq2zmfe8dDgUtRJkGqxaLArebzFsIhMI+sqqAksmcaEJd" +
        "MYsfYkvh/39EAqioplU5xNpGUvi7NBpGzq7f3T3jrWh3yX1od8lyq3dfwHXNWj/hGnKMMAAAAASUVORK5CYII=";
}
