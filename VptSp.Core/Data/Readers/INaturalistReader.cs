namespace VptSp.Core.Data.Readers;

/// <summary>
/// iNaturalist 2018 (the reference's split): Inaturalist_train_set1.txt and Inaturalist_test_set1.txt
/// list image paths relative to the dataset folder; a class is the image's two parent folders
/// ("Plantae/1234"); classes are labelled in order of first appearance in the list (as the reference).
/// </summary>
public sealed class INaturalistReader : IDatasetReader
{
    public string Name => "inaturalist";
    public string ExpectedLayout => "inaturalist/Inaturalist_train_set1.txt, Inaturalist_test_set1.txt and inaturalist/train_val2018/<super>/<class>/*.jpg";

    public string? Locate(string sourceRoot) =>
        LayoutChecks.FirstExisting(Path.Combine(sourceRoot, "inaturalist"))
        ?? (Path.GetFileName(Path.TrimEndingDirectorySeparator(sourceRoot)) == "inaturalist" ? sourceRoot : null);

    public DatasetInfo Read(string datasetDir, DatasetReadOptions? options = null)
    {
        var trainList = Path.Combine(datasetDir, "Inaturalist_train_set1.txt");
        var testList = Path.Combine(datasetDir, "Inaturalist_test_set1.txt");
        LayoutChecks.RequireFile(this, trainList);
        LayoutChecks.RequireFile(this, testList);
        var splits = new[] { ReadList(SplitNames.Train, trainList, datasetDir), ReadList(SplitNames.Test, testList, datasetDir) };
        return ImageScreening.Build(Name, datasetDir, splits, options ?? DatasetReadOptions.Default);
    }

    private DatasetSplit ReadList(string splitName, string listFile, string datasetDir)
    {
        var order = new List<string>();
        var byClass = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var lineNo = 0;
        foreach (var raw in File.ReadLines(listFile))
        {
            lineNo++;
            var entry = raw.Trim();
            if (entry.Length == 0) continue;
            var parts = entry.Split('/');
            if (parts.Length < 3)
                throw new DatasetLayoutException(
                    $"{Name}: {listFile} line {lineNo}: '{entry}' needs <super>/<class>/<image> (expected {ExpectedLayout})");
            var key = parts[^3] + "/" + parts[^2];
            if (!byClass.TryGetValue(key, out var paths))
            {
                byClass[key] = paths = [];
                order.Add(key);
            }
            paths.Add(LayoutChecks.Join(datasetDir, entry));
        }
        return DatasetSplit.FromGroups(splitName, order.Select(k => (k, (IReadOnlyList<string>)byClass[k])));
    }
}
