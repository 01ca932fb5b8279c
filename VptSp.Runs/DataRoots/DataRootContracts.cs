namespace VptSp.Runs.DataRoots;

/// <summary>A registered data root and what it contains.</summary>
public sealed record DataRootInfo(string Name, string Path, IReadOnlyList<DatasetSummary> Datasets, string? Error);

public sealed record DatasetSummary(string Name, IReadOnlyDictionary<string, SplitSummary> Splits, IReadOnlyList<string> Credits, string? Error = null);

public sealed record SplitSummary(int Classes, int Images);

/// <summary>The data roots the server knows (the emoji demo root is always registered).</summary>
public interface IDataRootService
{
    IReadOnlyList<DataRootInfo> List();
}
