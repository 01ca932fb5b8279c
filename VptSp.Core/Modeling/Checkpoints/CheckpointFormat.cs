using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace VptSp.Core.Modeling.Checkpoints;

/// <summary>
/// Looks at a weights file's first bytes before a reader parses it, so that a wrong file (a text file, a .pth under a
/// .safetensors name, a truncated download) fails with an <see cref="InvalidDataException"/> that says what the file
/// is and what was expected — not with the reader's internal error.
/// </summary>
public static class CheckpointFormat
{
    private const string SafetensorsExpected = "expected a safetensors file (an 8-byte little-endian header length, then a JSON header, then the tensor data)";
    private const string TorchExpected = "expected a file written by torch.save (a zip archive, or a pickle for files from PyTorch < 1.6)";

    /// <summary>Throws unless <paramref name="path"/> starts like a safetensors file whose header fits in the file.</summary>
    public static void EnsureSafetensors(string path)
    {
        var (head, length) = Head(path);
        if (head.Length < 9)
            throw new InvalidDataException($"'{path}' is not a safetensors file: it has only {length} bytes; {SafetensorsExpected}");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(head);
        if (head[8] != (byte)'{' || headerLength > (ulong)(length - 8))
            throw new InvalidDataException($"'{path}' is not a safetensors file: it looks like {Describe(head, length)}; {SafetensorsExpected}");
        var needed = 8 + (long)headerLength + DataBytes(path, (int)Math.Min(headerLength, int.MaxValue));
        if (needed > length)
            throw new InvalidDataException($"'{path}' is a safetensors file cut short: its header describes {needed:N0} bytes but the file has {length:N0} (an interrupted download or copy?)");
    }

    /// <summary>The end of the last tensor's data according to the JSON header (0 when the header names none).</summary>
    private static long DataBytes(string path, int headerLength)
    {
        var header = new byte[headerLength];
        using (var stream = File.OpenRead(path))
        {
            stream.Position = 8;
            stream.ReadExactly(header);
        }
        try
        {
            using var doc = JsonDocument.Parse(header);
            var end = 0L;
            foreach (var entry in doc.RootElement.EnumerateObject())
                if (entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty("data_offsets", out var offsets)
                    && offsets.ValueKind == JsonValueKind.Array && offsets.GetArrayLength() == 2)
                    end = Math.Max(end, offsets[1].GetInt64());
            return end;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"'{path}' is not a safetensors file: its header is not valid JSON ({ex.Message}); {SafetensorsExpected}", ex);
        }
    }

    /// <summary>Throws unless <paramref name="path"/> starts like a torch.save file (zip or pickle).</summary>
    public static void EnsureTorchSave(string path)
    {
        var (head, length) = Head(path);
        if (!IsZip(head) && !IsPickle(head))
            throw new InvalidDataException($"'{path}' is not a PyTorch checkpoint: it looks like {Describe(head, length)}; {TorchExpected}");
    }

    /// <summary>A short description of what the first bytes look like (for error messages).</summary>
    public static string Describe(ReadOnlySpan<byte> head, long length)
    {
        if (length == 0) return "an empty file";
        if (IsZip(head)) return "a zip archive (torch.save's format: give it a .pth extension)";
        if (IsPickle(head)) return "a Python pickle (a legacy torch.save file: give it a .pth extension)";
        if (head.Length >= 9 && head[8] == (byte)'{') return $"a safetensors file cut short (its header announces more than its {length:N0} bytes)";
        var sample = head[..Math.Min(head.Length, 40)];
        var printable = sample.ToArray().Count(b => b is (>= 0x20 and < 0x7f) or (byte)'\n' or (byte)'\r' or (byte)'\t');
        if (printable == sample.Length)
        {
            var text = Encoding.ASCII.GetString(sample).ReplaceLineEndings(" ").Trim();
            return $"a text file beginning \"{text}{(length > sample.Length ? "…" : "")}\"";
        }
        return $"binary data of {length:N0} bytes in no known weights format";
    }

    private static bool IsZip(ReadOnlySpan<byte> head) => head.Length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;

    private static bool IsPickle(ReadOnlySpan<byte> head) => head.Length >= 2 && head[0] == 0x80 && head[1] is >= 2 and <= 5;

    private static (byte[] Head, long Length) Head(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint not found: {path}", path);
        using var stream = File.OpenRead(path);
        var buffer = new byte[64];
        var n = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return (buffer[..n], stream.Length);
    }
}
