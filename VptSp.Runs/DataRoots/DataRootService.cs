using Microsoft.Extensions.Options;
using VptSp.Runs.Options;

namespace VptSp.Runs.DataRoots;

/// <summary>The registered data roots: "demo" (the emoji demo, under the data directory) and those in Storage:DataRoots.</summary>
public sealed class DataRootService(IOptions<StorageOptions> storage, IDatasetDetector detector) : IDataRootService
{
    public const string DemoRootName = "demo";

    public IReadOnlyList<DataRootInfo> List()
    {
        return storage.Value.RegisteredDataRoots.Select(r => Describe(r.Name, r.Path)).ToList();
    }

    private DataRootInfo Describe(string name, string path)
    {
        if (!Directory.Exists(path)) return new DataRootInfo(name, path, [], "folder does not exist");
        try
        {
            return new DataRootInfo(name, path, detector.Detect(path), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new DataRootInfo(name, path, [], ex.Message);
        }
    }
}
