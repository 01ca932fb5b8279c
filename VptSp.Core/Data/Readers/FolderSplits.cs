namespace VptSp.Core.Data.Readers;

internal static class FolderSplits
{
    /// <summary>A split whose i-th class is the i-th folder (its images in name order); class name = folder name.</summary>
    public static DatasetSplit FromClassFolders(string splitName, string imagesDir, IEnumerable<string> classFolders) =>
        DatasetSplit.FromGroups(splitName, classFolders.Select(folder =>
            (folder, (IReadOnlyList<string>)LayoutChecks.ImageFiles(Path.Combine(imagesDir, folder)))));

    /// <summary>The reference's class-halves protocol (cub200, cars196): the first half of the ordered class folders train, the rest test.</summary>
    public static DatasetInfo ClassHalves(IDatasetReader reader, string datasetDir, string imagesDir, IReadOnlyList<string> orderedClasses,
        DatasetReadOptions? options)
    {
        if (orderedClasses.Count < 2)
            throw DatasetLayoutException.Missing(reader.Name, $"class folders in {imagesDir} (found {orderedClasses.Count})", reader.ExpectedLayout);
        var half = orderedClasses.Count / 2;
        var splits = new[]
        {
            FromClassFolders(SplitNames.Train, imagesDir, orderedClasses.Take(half)),
            FromClassFolders(SplitNames.Test, imagesDir, orderedClasses.Skip(half)),
        };
        return ImageScreening.Build(reader.Name, datasetDir, splits, options ?? DatasetReadOptions.Default);
    }
}
