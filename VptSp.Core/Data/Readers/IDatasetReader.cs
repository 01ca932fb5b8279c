namespace VptSp.Core.Data.Readers;

/// <summary>Reads one dataset layout into splits with the reference implementation's class order and split rule.</summary>
public interface IDatasetReader
{
    /// <summary>The name used on the command line and in configs (cub200, cars196, sop, inshop, inaturalist, folder, emoji).</summary>
    string Name { get; }

    /// <summary>The expected layout, as shown in error messages.</summary>
    string ExpectedLayout { get; }

    /// <summary>The dataset folder under <paramref name="sourceRoot"/> (or the root itself when it is one), or null.</summary>
    string? Locate(string sourceRoot);

    /// <summary>Reads the dataset in <paramref name="datasetDir"/>; throws <see cref="DatasetLayoutException"/> on a wrong layout.</summary>
    DatasetInfo Read(string datasetDir, DatasetReadOptions? options = null);
}
