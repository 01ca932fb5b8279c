using System.Collections.Concurrent;
using VptSp.Core.Data;

namespace VptSp.Web.Services.DataRoots;

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
        var found = new List<DatasetSummary>();
        var options = new DatasetReadOptions { VerifyImages = false };
        foreach (var (name, _) in DatasetCatalog.Default.Detect(root))
        {
            try
            {
                var info = DatasetCatalog.Default.Open(root, name, options);
                var splits = info.Splits.ToDictionary(s => s.Name, s => new SplitSummary(s.ClassCount, s.Count));
                found.Add(new DatasetSummary(name, splits, info.Credits));
            }
            catch (IOException ex)
            {
                // A dataset folder whose layout is wrong is still listed, with what is wrong with it.
                found.Add(new DatasetSummary(name, new Dictionary<string, SplitSummary>(), [], ex.Message));
            }
        }
        _cache[root] = (now, found);
        return found;
    }
}
