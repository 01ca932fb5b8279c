using System.Globalization;

namespace VptSp.Core.Data.Readers;

/// <summary>
/// Stanford Online Products: Info_Files/Ebay_train.txt and Ebay_test.txt (header
/// "image_id class_id super_class_id path") give the splits; within a split classes are ordered by
/// class_id and images keep the file's order; paths are relative to images/ (as the reference).
/// </summary>
public sealed class SopReader : IDatasetReader
{
    public string Name => "sop";
    public string ExpectedLayout => "online_products/ (or sop/) with images/<super>_final/*.JPG and Info_Files/Ebay_train.txt, Ebay_test.txt";

    public string? Locate(string sourceRoot) =>
        LayoutChecks.FirstExisting(Path.Combine(sourceRoot, "online_products"), Path.Combine(sourceRoot, "sop"))
        ?? (Path.GetFileName(Path.TrimEndingDirectorySeparator(sourceRoot)) is "online_products" or "sop" ? sourceRoot : null);

    public DatasetInfo Read(string datasetDir, DatasetReadOptions? options = null)
    {
        var images = Path.Combine(datasetDir, "images");
        var info = Path.Combine(datasetDir, "Info_Files");
        LayoutChecks.RequireDirectory(this, images);
        LayoutChecks.RequireFile(this, Path.Combine(info, "Ebay_train.txt"));
        LayoutChecks.RequireFile(this, Path.Combine(info, "Ebay_test.txt"));
        var splits = new[]
        {
            ReadList(SplitNames.Train, Path.Combine(info, "Ebay_train.txt"), images),
            ReadList(SplitNames.Test, Path.Combine(info, "Ebay_test.txt"), images),
        };
        return ImageScreening.Build(Name, datasetDir, splits, options ?? DatasetReadOptions.Default);
    }

    private DatasetSplit ReadList(string splitName, string listFile, string imagesDir)
    {
        var byClass = new SortedDictionary<int, List<string>>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(listFile))
        {
            lineNo++;
            if (lineNo == 1 || string.IsNullOrWhiteSpace(line)) continue; // header
            var cols = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cols.Length < 4 || !int.TryParse(cols[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var classId))
                throw new DatasetLayoutException(
                    $"{Name}: {listFile} line {lineNo} is not 'image_id class_id super_class_id path' (expected {ExpectedLayout})");
            if (!byClass.TryGetValue(classId, out var paths)) byClass[classId] = paths = [];
            paths.Add(LayoutChecks.Join(imagesDir, cols[3]));
        }
        return DatasetSplit.FromGroups(splitName,
            byClass.Select(kv => (kv.Key.ToString(CultureInfo.InvariantCulture), (IReadOnlyList<string>)kv.Value)));
    }
}
