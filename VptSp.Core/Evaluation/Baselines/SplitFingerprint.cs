using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VptSp.Core.Data;

namespace VptSp.Core.Evaluation.Baselines;

/// <summary>
/// What a cached baseline belongs to: SHA-256 (first 16 hex digits) of the dataset name, the split's name, and each
/// sample's path relative to the dataset root, label, file size and last-write time — so replacing, adding or
/// relabelling an image gives another fingerprint and the baselines are computed again.
/// </summary>
public static class SplitFingerprint
{
    public static string Of(DatasetInfo data, DatasetSplit split)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{data.Name}/{split.Name}/{split.Count}\n"));
        foreach (var s in split.Samples)
        {
            var file = new FileInfo(s.Path);
            var stamp = file.Exists ? $"{file.Length}\t{file.LastWriteTimeUtc.Ticks}" : "missing";
            sha.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetRelativePath(data.Root, s.Path)}\t{s.Label}\t{stamp}\n")));
        }
        return Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
