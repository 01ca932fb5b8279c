using System.Text.Json;
using VptSp.Core.Data;
using VptSp.Core.Data.Emoji;
using VptSp.Core.Demo;
using VptSp.Core.Data.Images;
using static TorchSharp.torch;

namespace VptSp.Core.Evaluation.Baselines;

/// <summary>
/// Chance and raw-pixel k-NN on a dataset's evaluation split (the split every run's R@1 is measured on), for any dataset:
/// what a learned embedding has to beat (DEMO-FINDINGS: on the emoji demo, 8×8 pixels beat a backbone pre-trained for
/// minutes on CPU). Computed once and cached as JSON per dataset, split and <see cref="SplitFingerprint"/>.
/// </summary>
public static class DatasetBaselines
{
    private static readonly IReadOnlyList<int> Ks = [1, 2];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Raw-pixel sizes above this many floats in all (N · side² · 3) are skipped with a note (4 GiB of float32 is not a baseline).</summary>
    public const long MaxPixelFloats = 256L * 1024 * 1024;

    /// <summary>The cached report of <paramref name="data"/>'s evaluation split, else computes and stores it in <paramref name="cacheDirectory"/>.</summary>
    public static BaselineReport GetOrCompute(DatasetInfo data, string cacheDirectory, CancellationToken ct = default)
    {
        var (_, gallery) = data.Evaluation;
        var fingerprint = SplitFingerprint.Of(data, gallery);
        var path = CachePath(cacheDirectory, data.Name, gallery.Name, fingerprint);
        if (TryRead(path) is { } cached) return cached;
        var report = Compute(data, fingerprint, ct: ct);
        Write(path, report);
        return report;
    }

    /// <summary>&lt;cache&gt;/&lt;dataset&gt;-&lt;split&gt;-&lt;fingerprint&gt;.json</summary>
    public static string CachePath(string cacheDirectory, string dataset, string split, string fingerprint) =>
        Path.Combine(cacheDirectory, $"{dataset}-{split}-{fingerprint}.json");

    /// <summary>The report at <paramref name="path"/> when it is there and of the current format, else null.</summary>
    public static BaselineReport? TryRead(string path) =>
        Read<BaselineReport>(path) is { Format: BaselineReport.CurrentFormat } report ? report : null;

    public static BaselineReport Compute(DatasetInfo data, string? fingerprint = null, SafeImageLoader? loader = null, CancellationToken ct = default)
    {
        var (query, gallery) = data.Evaluation;
        if (gallery.Count < 2) throw new InvalidDataException($"the {gallery.Name} split of {data.Name} has {gallery.Count} images; baselines need at least 2");
        var separate = !ReferenceEquals(query, gallery);
        var scores = new List<BaselineScore>();
        var notes = new List<string>();

        if (separate)
        {
            var chance = ChanceBaseline.QueryGalleryRecall(query.Labels(), gallery.Labels(), Ks);
            scores.Add(new BaselineScore("chance", "chance", chance["recall@1"], chance["recall@2"], null));
        }
        else
        {
            var chance = ChanceBaseline.Metrics(gallery.Labels(), Ks);
            scores.Add(new BaselineScore("chance", "chance", chance["recall@1"], chance["recall@2"], chance["map@r"]));
        }

        foreach (var side in RawPixelBaseline.StandardSides)
        {
            ct.ThrowIfCancellationRequested();
            var floats = (long)(query.Count + (separate ? gallery.Count : 0)) * side * side * 3;
            if (floats > MaxPixelFloats)
            {
                notes.Add($"raw pixels {side}×{side} skipped: {query.Count + (separate ? gallery.Count : 0):N0} images would need {floats * 4 / (1024 * 1024):N0} MiB");
                continue;
            }
            scores.Add(PixelScore(query, gallery, separate, side, loader));
        }
        return new BaselineReport(BaselineReport.CurrentFormat, data.Name, gallery.Name, fingerprint ?? SplitFingerprint.Of(data, gallery),
            query.Count, gallery.ClassesWithImages(), scores, notes, DateTimeOffset.UtcNow);
    }

    private static BaselineScore PixelScore(DatasetSplit query, DatasetSplit gallery, bool separate, int side, SafeImageLoader? loader) =>
        Score($"pixels{side}", $"raw pixels {side}×{side}", query, gallery, separate, split => RawPixelBaseline.EmbedTensor(split, side, loader));

    /// <summary>k-NN scores of the embeddings <paramref name="embed"/> makes: the gallery against itself, or query against gallery.</summary>
    internal static BaselineScore Score(string key, string name, DatasetSplit query, DatasetSplit gallery, bool separate, Func<DatasetSplit, Tensor> embed)
    {
        using var g = embed(gallery);
        if (!separate)
        {
            var m = MetricSuite.Evaluate(g, gallery.Labels(), new MetricSuiteOptions { RecallKs = Ks, Clustering = false });
            return new BaselineScore(key, name, m["recall@1"], m["recall@2"], m["map@r"]);
        }
        using var q = embed(query);
        var qg = MetricSuite.EvaluateQueryGallery(q, query.Labels(), g, gallery.Labels(), Ks);
        return new BaselineScore(key, name, qg["recall@1"], qg["recall@2"], null);
    }

    internal static void Write<T>(string path, T report)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(report, Json));
        File.Move(tmp, path, overwrite: true);
    }

    internal static T? Read<T>(string path) where T : class
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            return null; // a damaged cache is recomputed
        }
    }
}
