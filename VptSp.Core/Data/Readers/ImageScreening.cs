using System.Collections.Concurrent;
using VptSp.Core.Data.Images;

namespace VptSp.Core.Data.Readers;

/// <summary>
/// Drops listed images that are missing or (when verifying) unreadable, counting them, and re-labels
/// each split so labels stay contiguous in the original class order.
/// </summary>
internal static class ImageScreening
{
    public const int MaxWarningLines = 5;

    /// <param name="sharedLabelSplits">Splits whose labels index one shared class list (inshop query + gallery).</param>
    public static DatasetInfo Build(string name, string root, IReadOnlyList<DatasetSplit> splits, DatasetReadOptions options,
                                    IReadOnlyList<string>? credits = null, IEnumerable<string>? extraWarnings = null,
                                    IReadOnlyCollection<string>? sharedLabelSplits = null)
    {
        var loader = options.Loader ?? SafeImageLoader.Shared;
        var bad = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var paths = splits.SelectMany(s => s.Samples).Select(s => s.Path).Distinct(StringComparer.Ordinal).ToArray();
        Parallel.ForEach(paths, path =>
        {
            if (!File.Exists(path))
            {
                bad[path] = "file not found";
                return;
            }
            if (!options.VerifyImages) return;
            try
            {
                loader.Probe(path);
            }
            catch (Exception ex) when (ex is ImageRejectedException or IOException or UnauthorizedAccessException)
            {
                bad[path] = ex.Message;
            }
        });

        var warnings = new List<string>(extraWarnings ?? []);
        if (bad.IsEmpty) return new DatasetInfo(name, root, splits, 0, warnings, credits);

        var shared = sharedLabelSplits ?? [];
        var sharedKept = splits.Where(s => shared.Contains(s.Name))
            .SelectMany(s => s.Samples).Where(x => !bad.ContainsKey(x.Path)).Select(x => x.Label).ToHashSet();
        var kept = splits.Select(s => Without(s, bad, shared.Contains(s.Name) ? sharedKept : null)).ToList();
        var skipped = splits.Sum(s => s.Count) - kept.Sum(s => s.Count);
        warnings.Add($"{name}: skipped {skipped} unreadable or missing image(s)");
        foreach (var (path, reason) in bad.OrderBy(kv => kv.Key, StringComparer.Ordinal).Take(MaxWarningLines))
            warnings.Add($"  {path}: {reason}");
        if (bad.Count > MaxWarningLines) warnings.Add($"  … and {bad.Count - MaxWarningLines} more");
        return new DatasetInfo(name, root, kept, skipped, warnings, credits);
    }

    /// <summary>
    /// The split without the given paths; classes left without images (or outside
    /// <paramref name="keptLabels"/> when given) disappear and labels are compacted keeping their order.
    /// </summary>
    public static DatasetSplit Without(DatasetSplit split, IReadOnlyDictionary<string, string> bad, IReadOnlySet<int>? keptLabels = null)
    {
        var keep = keptLabels ?? split.Samples.Where(s => !bad.ContainsKey(s.Path)).Select(s => s.Label).ToHashSet();
        var newLabel = new int[split.ClassCount];
        var names = new List<string>();
        for (var c = 0; c < split.ClassCount; c++)
        {
            newLabel[c] = keep.Contains(c) ? names.Count : -1;
            if (newLabel[c] >= 0) names.Add(split.ClassNames[c]);
        }
        var samples = split.Samples.Where(s => !bad.ContainsKey(s.Path)).Select(s => s with { Label = newLabel[s.Label] }).ToList();
        return new DatasetSplit(split.Name, samples, names);
    }
}
