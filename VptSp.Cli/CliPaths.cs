using VptSp.Core.Training;

namespace VptSp.Cli;

/// <summary>Where the CLI keeps data and runs: the dashboard's <see cref="DataLayout"/> ($VPTSP_DATA_DIR, default ./data; runs in its runs/).</summary>
public static class CliPaths
{
    public static string DataDirectory => Path.GetFullPath(DataLayout.DataDirectoryFromEnvironment() ?? DataLayout.DefaultDataDirectory);

    public static string RunsDirectory => DataLayout.RunsDirectory(DataDirectory);

    /// <summary>A config from a YAML path or a preset name (configs/ folder).</summary>
    public static TrainingConfig LoadConfig(string pathOrPreset)
    {
        if (File.Exists(pathOrPreset)) return TrainingConfigYaml.Load(pathOrPreset);
        var presets = ConfigPresets.Discover();
        if (presets.Contains(pathOrPreset)) return presets.Load(pathOrPreset);
        throw new CliException($"config '{pathOrPreset}' is neither a file nor a preset (presets: {string.Join(", ", presets.Names)})");
    }

    public static string NewRunDirectory(string configName)
    {
        var name = Path.GetFileNameWithoutExtension(configName);
        return Path.Combine(RunsDirectory, $"{name}-{DateTime.Now:yyyyMMdd-HHmmss}");
    }
}
