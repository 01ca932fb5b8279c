namespace VptSp.Core.Data.Readers;

internal static class FolderSplits
{
    /// <summary>A split whose i-th class is the i-th folder (its images in name order); class name = folder name.</summary>
    public static DatasetSplit FromClassFolders(string splitName, string imagesDir, IEnumerable<string> classFolders) =>
        DatasetSplit.FromGroups(splitName, classFolders.Select(folder =>
            (folder, (IReadOnlyList<string>)LayoutChecks.ImageFiles(Path.Combine(imagesDir, folder)))));
}
