namespace VptSp.Web.Services.DataRoots;

/// <summary>
/// Finds the datasets in a data root by the reference's folder names. Placeholder until VptSp.Core.Data's
/// DatasetCatalog lands: swap this one class for a catalog-backed one (it then fills splits and credits).
/// </summary>
public interface IDatasetDetector
{
    IReadOnlyList<DatasetSummary> Detect(string root);
}

public sealed class FolderNameDatasetDetector : IDatasetDetector
{
    /// <summary>Dataset name → folder names it may have under a data root (the reference's layout).</summary>
    private static readonly (string Dataset, string[] Folders)[] Known =
    [
        ("cub200", ["cub200"]),
        ("cars196", ["cars196"]),
        ("online_products", ["online_products", "sop"]),
        ("inshop", ["inshop"]),
        ("inaturalist", ["inaturalist"]),
        ("emoji", ["emoji"]),
    ];

    public IReadOnlyList<DatasetSummary> Detect(string root)
    {
        var found = new List<DatasetSummary>();
        foreach (var (dataset, folders) in Known)
        {
            if (folders.Any(f => Directory.Exists(Path.Combine(root, f))))
                found.Add(new DatasetSummary(dataset, new Dictionary<string, SplitSummary>(), []));
        }
        return found;
    }
}
