using System.Security.Cryptography;
using System.Text;
using VptSp.Core.Modeling.Checkpoints;

namespace VptSp.Core.Inference.Retrieval;

/// <summary>
/// Identifies the content of a run's artefact directory: SHA-256 over the names and bytes of its manifest, trained
/// tensors and (full runs) exported backbone. A cheap <see cref="Stamp"/> (sizes and write times) tells when the
/// hash must be recomputed.
/// </summary>
public static class ArtefactFingerprint
{
    private static readonly string[] Files = [ArtefactFiles.Manifest, ArtefactFiles.Trained, ArtefactFiles.Backbone];

    /// <summary>Hex SHA-256 of the artefact files present in <paramref name="artefactsDir"/>.</summary>
    public static string Compute(string artefactsDir)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        var any = false;
        foreach (var name in Files)
        {
            var path = Path.Combine(artefactsDir, name);
            if (!File.Exists(path)) continue;
            any = true;
            sha.AppendData(Encoding.UTF8.GetBytes(name + "\n"));
            using var stream = File.OpenRead(path);
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0) sha.AppendData(buffer, 0, read);
        }
        if (!any) throw new FileNotFoundException($"no artefact files in {artefactsDir}");
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Sizes and last-write times of the artefact files: equal stamps mean the fingerprint need not be recomputed.</summary>
    public static string Stamp(string artefactsDir) =>
        string.Join(";", Files.Select(name =>
        {
            var f = new FileInfo(Path.Combine(artefactsDir, name));
            return f.Exists ? $"{name}:{f.Length}:{f.LastWriteTimeUtc.Ticks}" : $"{name}:-";
        }));
}
