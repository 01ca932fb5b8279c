using System.Globalization;

namespace VptSp.Core.Data.Readers;

/// <summary>
/// CUB-200-2011: class folders "NNN.Name" ordered by the numeric prefix; the first half of the classes
/// (1–100) train, the second half (101–200) test; images in name order (as the reference).
/// </summary>
public sealed class Cub200Reader : IDatasetReader
{
    public string Name => "cub200";
    public string ExpectedLayout => "cub200/images/NNN.Name/*.jpg";

    public string? Locate(string sourceRoot) =>
        LayoutChecks.FirstExisting(Path.Combine(sourceRoot, "cub200"), Path.Combine(sourceRoot, "CUB_200_2011"))
        ?? (Path.GetFileName(Path.TrimEndingDirectorySeparator(sourceRoot)) is "cub200" or "CUB_200_2011" ? sourceRoot : null);

    public DatasetInfo Read(string datasetDir, DatasetReadOptions? options = null)
    {
        var images = Path.Combine(datasetDir, "images");
        LayoutChecks.RequireDirectory(this, images);
        var classes = LayoutChecks.SubfolderNames(images)
            .Select(folder => (Folder: folder, Number: ClassNumber(folder)))
            .OrderBy(c => c.Number)
            .Select(c => c.Folder)
            .ToList();
        return FolderSplits.ClassHalves(this, datasetDir, images, classes, options);
    }

    private int ClassNumber(string folder)
    {
        var dot = folder.IndexOf('.');
        if (dot > 0 && int.TryParse(folder.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
        throw new DatasetLayoutException($"{Name}: class folder '{folder}' has no numeric NNN. prefix (expected {ExpectedLayout})");
    }
}
