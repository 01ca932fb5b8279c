namespace VptSp.Core.Training;

/// <summary>
/// The one layout of a VptSp data directory, shared by the CLI and the dashboard: <c>$VPTSP_DATA_DIR</c> (default
/// <c>./data</c>) holding <c>runs/</c> (every run folder: the dashboard's <c>runs/&lt;id&gt;</c>, the CLI's
/// <c>runs/&lt;config&gt;-&lt;time&gt;</c>) and the emoji demo root <c>demo/</c>.
/// </summary>
public static class DataLayout
{
    public const string DataDirectoryVariable = "VPTSP_DATA_DIR";
    public const string DefaultDataDirectory = "data";

    /// <summary>$VPTSP_DATA_DIR when set, else null.</summary>
    public static string? DataDirectoryFromEnvironment() =>
        Environment.GetEnvironmentVariable(DataDirectoryVariable) is { Length: > 0 } d ? d : null;

    /// <summary>The folder full runs export backbones to (<c>export_backbone</c>) and presets read them from.</summary>
    public const string BackbonesFolder = "backbones";

    public static string RunsDirectory(string dataDirectory) => Path.Combine(dataDirectory, "runs");

    public static string DemoRoot(string dataDirectory) => Path.Combine(dataDirectory, "demo");
}
