namespace VptSp.Core.Data.Readers;

/// <summary>
/// Cars196: class folders in sorted (ordinal) name order; the first half train, the second half test;
/// images in name order (as the reference).
/// </summary>
public sealed class Cars196Reader : IDatasetReader
{
    public string Name => "cars196";
    public string ExpectedLayout => "cars196/images/<class name>/*.jpg";

    public string? Locate(string sourceRoot) =>
        LayoutChecks.FirstExisting(Path.Combine(sourceRoot, "cars196"))
        ?? (Path.GetFileName(Path.TrimEndingDirectorySeparator(sourceRoot)) == "cars196" ? sourceRoot : null);

    public DatasetInfo Read(string datasetDir, DatasetReadOptions? options = null)
    {
        var images = Path.Combine(datasetDir, "images");
        LayoutChecks.RequireDirectory(this, images);
        return FolderSplits.ClassHalves(this, datasetDir, images, LayoutChecks.SubfolderNames(images), options);
    }
}
