using VptSp.Core.Data.Emoji;
using VptSp.Core.Data.Readers;

namespace VptSp.Core.Data;

/// <summary>
/// Finds the datasets present under a source root and opens one by name. Known names: cub200, cars196,
/// sop, inshop, inaturalist, emoji; "folder" reads the root itself as class sub-folders.
/// </summary>
public sealed class DatasetCatalog
{
    public DatasetCatalog(IEnumerable<IDatasetReader>? readers = null)
    {
        Readers = (readers ?? DefaultReaders()).ToList();
    }

    public static DatasetCatalog Default { get; } = new();

    public IReadOnlyList<IDatasetReader> Readers { get; }

    public IReadOnlyList<string> Names => Readers.Select(r => r.Name).ToList();

    public static IEnumerable<IDatasetReader> DefaultReaders() =>
    [
        new Cub200Reader(), new Cars196Reader(), new SopReader(), new InShopReader(), new INaturalistReader(),
        new EmojiReader(), new FolderReader(),
    ];

    public IDatasetReader Reader(string name) =>
        Readers.FirstOrDefault(r => string.Equals(r.Name, Normalise(name), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown dataset '{name}' (known: {string.Join(", ", Names)})");

    /// <summary>
    /// The datasets found under <paramref name="sourceRoot"/> as (name, folder). "folder" is listed only
    /// when no named dataset is found and the root itself holds class folders.
    /// </summary>
    public IReadOnlyList<(string Name, string Directory)> Detect(string sourceRoot)
    {
        if (!Directory.Exists(sourceRoot))
            throw new DirectoryNotFoundException($"source path not found: {sourceRoot}");
        var found = new List<(string, string)>();
        foreach (var r in Readers.Where(r => r is not FolderReader))
            if (r.Locate(sourceRoot) is { } dir) found.Add((r.Name, dir));
        if (found.Count == 0 && Readers.OfType<FolderReader>().FirstOrDefault()?.Locate(sourceRoot) is { } own)
            found.Add(("folder", own));
        return found;
    }

    /// <summary>
    /// Every dataset <see cref="Detect"/> finds under <paramref name="sourceRoot"/>, read with <paramref name="options"/>;
    /// a dataset whose layout is wrong is listed with what is wrong instead of its splits. The one dataset summary the
    /// hosts show (<c>vptsp data</c>, the web's data roots).
    /// </summary>
    public IReadOnlyList<DatasetSurvey> Survey(string sourceRoot, DatasetReadOptions? options = null)
    {
        var result = new List<DatasetSurvey>();
        foreach (var (name, dir) in Detect(sourceRoot))
        {
            try
            {
                result.Add(new DatasetSurvey(name, Reader(name).Read(dir, options), null));
            }
            catch (IOException ex)
            {
                result.Add(new DatasetSurvey(name, null, ex.Message));
            }
        }
        return result;
    }

    /// <summary>Opens dataset <paramref name="name"/> under <paramref name="sourceRoot"/> (or the root itself when it is that dataset's folder).</summary>
    public DatasetInfo Open(string sourceRoot, string name, DatasetReadOptions? options = null)
    {
        var reader = Reader(name);
        if (!Directory.Exists(sourceRoot))
            throw new DirectoryNotFoundException($"source path not found: {sourceRoot}");
        var dir = reader.Locate(sourceRoot)
                  ?? throw DatasetLayoutException.Missing(reader.Name, $"dataset folder under {sourceRoot}", reader.ExpectedLayout);
        return reader.Read(dir, options);
    }

    /// <summary>Accepts the seed's spellings (online_products, cub, cars, …).</summary>
    private static string Normalise(string name) => name.Trim().ToLowerInvariant() switch
    {
        "online_products" or "stanford_online_products" => "sop",
        "cub" or "cub200_2011" => "cub200",
        "cars" => "cars196",
        "in-shop" or "in_shop" => "inshop",
        "inat" => "inaturalist",
        var n => n,
    };
}

/// <summary>One dataset found under a root: its splits (<see cref="Info"/>) or, when its layout is wrong, <see cref="Error"/>.</summary>
public sealed record DatasetSurvey(string Name, DatasetInfo? Info, string? Error);
