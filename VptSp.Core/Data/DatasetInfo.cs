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
}

public static class SplitNames
{
    public const string Train = "train";
    public const string Test = "test";
    public const string Query = "query";
    public const string Gallery = "gallery";
    public const string Pretrain = "pretrain";
}
