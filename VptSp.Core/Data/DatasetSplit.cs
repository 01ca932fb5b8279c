namespace VptSp.Core.Data;

/// <summary>
/// The images of one split, ordered by label then by the reader's image order. Labels run 0..C-1;
/// <see cref="ClassNames"/>[label] is the class's name.
/// </summary>
public sealed class DatasetSplit
{
    public DatasetSplit(string name, IReadOnlyList<DatasetSample> samples, IReadOnlyList<string> classNames)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        foreach (var s in samples)
            if (s.Label < 0 || s.Label >= classNames.Count)
                throw new ArgumentException($"split '{name}': label {s.Label} of {s.Path} is outside 0..{classNames.Count - 1}");
        Name = name;
        Samples = samples;
        ClassNames = classNames;
    }

    public string Name { get; }
    public IReadOnlyList<DatasetSample> Samples { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public int ClassCount => ClassNames.Count;
    public int Count => Samples.Count;

    /// <summary>Labels in sample order (what samplers and metrics take).</summary>
    public int[] Labels() => Samples.Select(s => s.Label).ToArray();

    /// <summary>Number of classes that actually have at least one image.</summary>
    public int ClassesWithImages() => Samples.Select(s => s.Label).Distinct().Count();

    /// <summary>
    /// Builds a split from (class key, image path) groups in the given class order: the i-th group
    /// gets label i. Empty groups are dropped before labelling.
    /// </summary>
    public static DatasetSplit FromGroups(string name, IEnumerable<(string ClassName, IReadOnlyList<string> Paths)> groups)
    {
        var samples = new List<DatasetSample>();
        var names = new List<string>();
        foreach (var (className, paths) in groups)
        {
            if (paths.Count == 0) continue;
            var label = names.Count;
            names.Add(className);
            foreach (var p in paths) samples.Add(new DatasetSample(p, label, className));
        }
        return new DatasetSplit(name, samples, names);
    }
}
