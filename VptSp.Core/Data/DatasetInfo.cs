namespace VptSp.Core.Data;

/// <summary>
/// A dataset opened from disk: its splits (train/test; inshop train/query/gallery; emoji
/// pretrain/train/test), how many listed images were skipped and why, and credit lines to show
/// wherever the dataset is shown (empty for datasets without a licence requirement).
/// </summary>
public sealed class DatasetInfo
{
    public DatasetInfo(string name, string root, IReadOnlyList<DatasetSplit> splits,
                       int skippedImages = 0, IReadOnlyList<string>? warnings = null, IReadOnlyList<string>? credits = null)
    {
        Name = name;
        Root = root;
        Splits = splits;
        SkippedImages = skippedImages;
        Warnings = warnings ?? [];
        Credits = credits ?? [];
    }

    public string Name { get; }

    /// <summary>The dataset's own folder (e.g. &lt;source&gt;/cub200).</summary>
    public string Root { get; }

    public IReadOnlyList<DatasetSplit> Splits { get; }
    public int SkippedImages { get; }
    public IReadOnlyList<string> Warnings { get; }
    public IReadOnlyList<string> Credits { get; }

    public DatasetSplit Split(string name) =>
        Splits.FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"{Name} has no split '{name}' (it has {string.Join(", ", Splits.Select(s => s.Name))})");

    public bool HasSplit(string name) => Splits.Any(s => s.Name == name);

    /// <summary>The split to train on ("train").</summary>
    public DatasetSplit Train => Split(SplitNames.Train);

    /// <summary>
    /// What retrieval is scored on: inshop's (query, gallery), which share labels; otherwise (test, test),
    /// where each test image queries all the others.
    /// </summary>
    public (DatasetSplit Query, DatasetSplit Gallery) Evaluation =>
        HasSplit(SplitNames.Query) && HasSplit(SplitNames.Gallery)
            ? (Split(SplitNames.Query), Split(SplitNames.Gallery))
            : (Split(SplitNames.Test), Split(SplitNames.Test));

    /// <summary>Classes (with at least one image) and images per split, in split order.</summary>
    public IReadOnlyList<(string Split, int Classes, int Images)> Counts() =>
        Splits.Select(s => (s.Name, s.ClassesWithImages(), s.Count)).ToList();
}

public static class SplitNames
{
    public const string Train = "train";
    public const string Test = "test";
    public const string Query = "query";
    public const string Gallery = "gallery";
    public const string Pretrain = "pretrain";
}
