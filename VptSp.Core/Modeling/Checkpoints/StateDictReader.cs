using System.Collections;
using System.Security.Cryptography;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace VptSp.Core.Modeling.Checkpoints;

/// <summary>Reads a flat name → tensor dictionary from a .safetensors file or a torch-saved (.pth/.pt/.bin) state dict.</summary>
public static class StateDictReader
{
    private static readonly string[] WrapperKeys = { "state_dict", "model", "module", "model_state_dict" };

    /// <summary>Tensors of the checkpoint with <c>state_dict</c>/<c>model</c> wrappers unwrapped and <c>module.</c> prefixes stripped. The caller owns (disposes) the tensors.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint not found: {path}", path);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        Dictionary<string, Tensor> raw;
        if (ext == ".safetensors")
            raw = ReadSafetensors(path);
        else if (ext is ".pth" or ".pt" or ".bin" or ".ckpt")
            raw = Flatten(Unwrap(ReadTorchSave(path), path));
        else
            throw new ArgumentException($"unsupported checkpoint format '{ext}' ({path}); use .safetensors, .pth, .pt or .bin");
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in raw)
        {
            var k = key;
            while (k.StartsWith("module.", StringComparison.Ordinal)) k = k["module.".Length..];
            result[k] = value;
        }
        return result;
    }

    /// <summary>
    /// Every tensor of a .safetensors file (the caller disposes them). A file that is not safetensors, or that the reader
    /// cannot parse, fails with an <see cref="InvalidDataException"/> naming the file and what it looks like.
    /// </summary>
    public static Dictionary<string, Tensor> ReadSafetensors(string path)
    {
        CheckpointFormat.EnsureSafetensors(path);
        try
        {
            return Safetensors.LoadStateDict(path);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or InvalidDataException))
        {
            throw new InvalidDataException($"'{path}' could not be read as safetensors: {ex.Message}", ex);
        }
    }

    private static Hashtable ReadTorchSave(string path)
    {
        CheckpointFormat.EnsureTorchSave(path);
        try
        {
            return PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or InvalidDataException))
        {
            throw new InvalidDataException($"'{path}' could not be read as a PyTorch checkpoint: {ex.Message}", ex);
        }
    }

    /// <summary>Lower-case hex SHA-256 of a file (the backbone identity in run manifests).</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859",
        Justification = "the wrappers it descends into are any IDictionary the unpickler produced, not only Hashtable")]
    private static IDictionary Unwrap(IDictionary table, string path)
    {
        for (var depth = 0; depth < 3; depth++)
        {
            var hasTensor = table.Values.Cast<object?>().Any(v => v is Tensor);
            if (hasTensor) return table;
            var inner = WrapperKeys.Select(k => table.Contains(k) ? table[k] as IDictionary : null).FirstOrDefault(d => d is not null);
            if (inner is null) break;
            table = inner;
        }
        if (!table.Values.Cast<object?>().Any(v => v is Tensor))
            throw new ArgumentException($"no tensors found in '{path}' (looked inside {string.Join("/", WrapperKeys)} wrappers)");
        return table;
    }

    private static Dictionary<string, Tensor> Flatten(IDictionary table)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in table)
            if (e.Value is Tensor t) result[(string)e.Key] = t;
        return result;
    }
}
