using System.Globalization;

namespace VptSp.Core.Data.Readers;

/// <summary>
/// In-Shop Clothes: list_eval_partition.txt (line 1 the count, line 2 the header, then
/// "image_name item_id evaluation_status"). train = status train; test = query against gallery.
/// Classes are items ordered by the number in "id_NNNNNNNN"; query and gallery share one label
/// mapping over the union of their items, so a query's positives are the gallery images with its label.
/// </summary>
public sealed class InShopReader : IDatasetReader
{
    public string Name => "inshop";
    public string ExpectedLayout => "inshop/list_eval_partition.txt and inshop/img/…";

    public string? Locate(string sourceRoot) =>
        LayoutChecks.FirstExisting(Path.Combine(sourceRoot, "inshop"))
        ?? (Path.GetFileName(Path.TrimEndingDirectorySeparator(sourceRoot)) == "inshop" ? sourceRoot : null);

    public DatasetInfo Read(string datasetDir, DatasetReadOptions? options = null)
    {
        var list = Path.Combine(datasetDir, "list_eval_partition.txt");
        LayoutChecks.RequireFile(this, list);
        var rows = new Dictionary<string, List<(string Path, int Item, string ItemName)>>
        {
            ["train"] = [], ["query"] = [], ["gallery"] = [],
        };
        var lineNo = 0;
        foreach (var line in File.ReadLines(list))
        {
            lineNo++;
            if (lineNo <= 2 || string.IsNullOrWhiteSpace(line)) continue; // count line, header line
            var cols = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (cols.Length < 3 || !rows.TryGetValue(cols[2], out var target))
                throw new DatasetLayoutException(
                    $"{Name}: {list} line {lineNo} is not 'image_name item_id train|query|gallery' (expected {ExpectedLayout})");
            target.Add((LayoutChecks.Join(datasetDir, cols[0]), ItemNumber(cols[1], list, lineNo), cols[1]));
        }
        if (rows["train"].Count == 0 || rows["query"].Count == 0 || rows["gallery"].Count == 0)
            throw new DatasetLayoutException($"{Name}: {list} needs train, query and gallery rows (expected {ExpectedLayout})");

        var train = Labelled(SplitNames.Train, rows["train"], rows["train"]);
        var testItems = rows["query"].Concat(rows["gallery"]).ToList();
        var splits = new[]
        {
            train,
            Labelled(SplitNames.Query, rows["query"], testItems),
            Labelled(SplitNames.Gallery, rows["gallery"], testItems),
        };
        return ImageScreening.Build(Name, datasetDir, splits, options ?? DatasetReadOptions.Default,
            sharedLabelSplits: [SplitNames.Query, SplitNames.Gallery]);
    }

    /// <summary>Labels = rank of the item number among <paramref name="labelSpace"/>'s items; samples grouped by label, file order within.</summary>
    private static DatasetSplit Labelled(string name, List<(string Path, int Item, string ItemName)> rows,
                                         List<(string Path, int Item, string ItemName)> labelSpace)
    {
        var items = labelSpace.Select(r => (r.Item, r.ItemName)).DistinctBy(r => r.Item).OrderBy(r => r.Item).ToList();
        var label = items.Select((it, i) => (it.Item, i)).ToDictionary(x => x.Item, x => x.i);
        var samples = rows.Select(r => new DatasetSample(r.Path, label[r.Item], r.ItemName))
            .OrderBy(s => s.Label) // stable: file order within an item
            .ToList();
        return new DatasetSplit(name, samples, items.Select(i => i.ItemName).ToList());
    }

    private int ItemNumber(string itemId, string list, int lineNo)
    {
        var tail = itemId[(itemId.LastIndexOf('_') + 1)..];
        if (int.TryParse(tail, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
        throw new DatasetLayoutException($"{Name}: {list} line {lineNo}: item id '{itemId}' is not id_NNNNNNNN (expected {ExpectedLayout})");
    }
}
