namespace VptSp.Core.Data.Readers;

/// <summary>
/// A user's own images: one sub-folder per class (sorted by name). Without a split file the first half
/// of the classes train and the second half test (as cars196). An optional <c>splits.txt</c> assigns
/// classes explicitly, one "&lt;class folder&gt; train|test" per line ('#' comments allowed); classes it
/// does not name are left out with a warning.
/// </summary>
public sealed class FolderReader : IDatasetReader
{
    public const string SplitFileName = "splits.txt";

    public string Name => "folder";
    public string ExpectedLayout => "<folder>/<class>/*.jpg|png (optional <folder>/splits.txt: '<class> train|test' per line)";

    /// <summary>The root itself when it holds at least two class folders with images.</summary>
    public string? Locate(string sourceRoot)
    {
        if (!Directory.Exists(sourceRoot)) return null;
        var withImages = LayoutChecks.SubfolderNames(sourceRoot)
            .Count(c => LayoutChecks.ImageFiles(Path.Combine(sourceRoot, c)).Count > 0);
        return withImages >= 2 ? sourceRoot : null;
    }

    public DatasetInfo Read(string datasetDir, DatasetReadOptions? options = null)
    {
        LayoutChecks.RequireDirectory(this, datasetDir);
        var classes = LayoutChecks.SubfolderNames(datasetDir)
            .Where(c => LayoutChecks.ImageFiles(Path.Combine(datasetDir, c)).Count > 0)
            .ToList();
        if (classes.Count < 2)
            throw DatasetLayoutException.Missing(Name, $"class folders with images in {datasetDir} (found {classes.Count})", ExpectedLayout);

        var warnings = new List<string>();
        List<string> train, test;
        var splitFile = Path.Combine(datasetDir, SplitFileName);
        if (File.Exists(splitFile))
        {
            var assigned = ReadSplitFile(splitFile, classes);
            train = classes.Where(c => assigned.GetValueOrDefault(c) == SplitNames.Train).ToList();
            test = classes.Where(c => assigned.GetValueOrDefault(c) == SplitNames.Test).ToList();
            var unassigned = classes.Count - train.Count - test.Count;
            if (unassigned > 0) warnings.Add($"{Name}: {unassigned} class folder(s) not named in {SplitFileName} were left out");
            if (train.Count == 0 || test.Count == 0)
                throw new DatasetLayoutException($"{Name}: {splitFile} must give at least one class to train and one to test");
        }
        else
        {
            var half = classes.Count / 2;
            train = classes.Take(half).ToList();
            test = classes.Skip(half).ToList();
        }
        var splits = new[]
        {
            FolderSplits.FromClassFolders(SplitNames.Train, datasetDir, train),
            FolderSplits.FromClassFolders(SplitNames.Test, datasetDir, test),
        };
        return ImageScreening.Build(Name, datasetDir, splits, options ?? DatasetReadOptions.Default, extraWarnings: warnings);
    }

    private Dictionary<string, string> ReadSplitFile(string splitFile, List<string> classes)
    {
        var known = classes.ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNo = 0;
        foreach (var raw in File.ReadLines(splitFile))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var cut = line.LastIndexOfAny([' ', '\t']);
            var split = cut > 0 ? line[(cut + 1)..] : "";
            var cls = cut > 0 ? line[..cut].Trim() : line;
            if (split is not (SplitNames.Train or SplitNames.Test))
                throw new DatasetLayoutException($"{Name}: {splitFile} line {lineNo} is not '<class> train|test'");
            if (!known.Contains(cls))
                throw new DatasetLayoutException($"{Name}: {splitFile} line {lineNo} names class '{cls}', which has no image folder");
            result[cls] = split;
        }
        return result;
    }
}
