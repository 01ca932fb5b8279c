using System.Collections.Concurrent;
using VptSp.Core.Data;

namespace VptSp.Runs.DataRoots;

/// <summary>Finds the datasets in a data root and counts their classes and images per split.</summary>
public interface IDatasetDetector
{
    IReadOnlyList<DatasetSummary> Detect(string root);
}

/// <summary>
/// Detection through VptSp.Core's <see cref="DatasetCatalog"/> (the same readers training uses, without probing every
/// image). A root's answer is kept for <see cref="CacheFor"/>, since listing a large dataset walks its whole tree.
/// </summary>
public sealed class CatalogDatasetDetector(TimeProvider clock) : IDatasetDetector
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<DatasetSummary> Datasets)> _cache = new(StringComparer.Ordinal);

    public IReadOnlyList<DatasetSummary> Detect(string root)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(root, out var hit) && now - hit.At < CacheFor) return hit.Datasets;
        // a dataset folder whose layout is wrong is still listed, with what is wrong with it
        var found = DatasetCatalog.Default.Survey(root, new DatasetReadOptions { VerifyImages = false })
            .Select(d => d.Info is { } info
                ? new DatasetSummary(d.Name, info.Splits.ToDictionary(s => s.Name, s => new SplitSummary(s.ClassCount, s.Count)), info.Credits)
                : new DatasetSummary(d.Name, new Dictionary<string, SplitSummary>(), [], d.Error))
            .ToList();
        _cache[root] = (now, found);
        return found;
    }
}
