using System.Security.Cryptography;
using System.Text;

namespace VptSp.Core.Data;

/// <summary>Identifies a dataset's content as a run saw it.</summary>
public static class DatasetFingerprint
{
    /// <summary>SHA-256 (first 16 hex digits) of every split's sample paths (relative to the dataset root) and labels.</summary>
    public static string Compute(DatasetInfo info)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var split in info.Splits)
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{info.Name}/{split.Name}/{split.Count}\n"));
            foreach (var s in split.Samples)
                sha.AppendData(Encoding.UTF8.GetBytes($"{Path.GetRelativePath(info.Root, s.Path)}\t{s.Label}\n"));
        }
        return Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
