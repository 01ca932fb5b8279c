using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VptSp.Core.Data;
using VptSp.Core.Inference;

namespace VptSp.Core.Evaluation.Baselines;

/// <summary>A run's backbone as it was before training (no prompts, no head), scored on an evaluation split.</summary>
/// <param name="Backbone">The ViT preset and where its weights came from ("random init" or the checkpoint's file name).</param>
public sealed record ZeroShotReport(int Format, string Fingerprint, string Backbone, BaselineScore Score, DateTimeOffset ComputedAt)
{
    public const int CurrentFormat = 1;
}

/// <summary>
/// The zero-shot baseline: k-NN on the bare backbone's features (the class token after the final norm, L2-normalised,
/// <see cref="BackboneEmbedder"/>) on the split every run's R@1 is measured on — what parameter-efficient tuning has to
/// improve on. Cached as JSON per split fingerprint and backbone (preset, checkpoint path, size and write time).
/// </summary>
public static class ZeroShotBaseline
{
    public const string Key = "zeroshot";

    /// <summary>The cached score of <paramref name="preset"/> with <paramref name="checkpoint"/> (null = random init), else computes and stores it.</summary>
    public static ZeroShotReport GetOrCompute(DatasetInfo data, string preset, string? checkpoint, string cacheDirectory,
        int batchSize = 64, CancellationToken ct = default)
    {
        var (_, gallery) = data.Evaluation;
        var fingerprint = SplitFingerprint.Of(data, gallery);
        var path = Path.Combine(cacheDirectory, $"{data.Name}-{gallery.Name}-{fingerprint}-zeroshot-{BackboneStamp(preset, checkpoint)}.json");
        if (DatasetBaselines.Read<ZeroShotReport>(path) is { Format: ZeroShotReport.CurrentFormat } cached) return cached;
        var report = new ZeroShotReport(ZeroShotReport.CurrentFormat, fingerprint, Describe(preset, checkpoint),
            Compute(data, preset, checkpoint, batchSize, ct), DateTimeOffset.UtcNow);
        DatasetBaselines.Write(path, report);
        return report;
    }

    public static BaselineScore Compute(DatasetInfo data, string preset, string? checkpoint, int batchSize = 64, CancellationToken ct = default)
    {
        var (query, gallery) = data.Evaluation;
        using var embedder = new BackboneEmbedder(preset, checkpoint);
        return DatasetBaselines.Score(Key, "zero-shot backbone", query, gallery, !ReferenceEquals(query, gallery),
            split => EmbeddingExtractor.Embed(embedder, split, batchSize, Environment.ProcessorCount, cancellationToken: ct));
    }

    /// <summary>"vit_demo_patch8_64, random init" or "vit_small_patch16_224, emoji_vit.safetensors".</summary>
    public static string Describe(string preset, string? checkpoint) =>
        $"{preset}, {(checkpoint is null ? "random init" : Path.GetFileName(checkpoint))}";

    private static string BackboneStamp(string preset, string? checkpoint)
    {
        var file = checkpoint is null ? null : new FileInfo(checkpoint);
        var text = file is null ? $"{preset}\nrandom"
            : string.Create(CultureInfo.InvariantCulture, $"{preset}\n{file.FullName}\n{file.Length}\n{file.LastWriteTimeUtc.Ticks}");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12].ToLowerInvariant();
    }
}
