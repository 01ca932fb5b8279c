using System.Globalization;

namespace VptSp.Core.Backbones.Hub;

/// <summary>A file download's progress: <paramref name="Bytes"/> of <paramref name="Total"/> at <paramref name="BytesPerSecond"/> (this session's transfer).</summary>
public sealed record DownloadProgress(string Repo, string File, long Bytes, long Total, double BytesPerSecond)
{
    public double Fraction => Total <= 0 ? 0 : Math.Clamp((double)Bytes / Total, 0, 1);

    /// <summary>Seconds left at the current rate, or null before a rate is known.</summary>
    public double? EtaSeconds => BytesPerSecond > 0 ? (Total - Bytes) / BytesPerSecond : null;

    /// <summary>"timm/x model.safetensors  12.3 / 88.2 MB  4.1 MB/s  ETA 0:18".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Repo} {File}  {Mb(Bytes)} / {Mb(Total)} MB  {Mb((long)BytesPerSecond)} MB/s  ETA {Eta()}");

    private string Eta() => EtaSeconds is { } s ? TimeSpan.FromSeconds(Math.Round(s)).ToString(s >= 3600 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture) : "?";

    /// <summary>Bytes as megabytes with one decimal ("12.3").</summary>
    public static string Mb(long bytes) => (bytes / 1e6).ToString("F1", CultureInfo.InvariantCulture);
}
