namespace VptSp.Core.Training;

/// <summary>The named presets in a configs/ folder (one YAML file each; the name is the file name without extension).</summary>
public sealed class ConfigPresets
{
    public ConfigPresets(string directory)
    {
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    /// <summary>
    /// Finds the configs folder: $VPTSP_CONFIGS_DIR, else a <c>configs</c> folder beside the executable or in
    /// the current directory or any parent of either.
    /// </summary>
    public static ConfigPresets Discover()
    {
        var env = Environment.GetEnvironmentVariable("VPTSP_CONFIGS_DIR");
        if (!string.IsNullOrWhiteSpace(env)) return new ConfigPresets(env);
        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "configs");
                if (File.Exists(Path.Combine(candidate, "emoji_pretrain.yaml"))) return new ConfigPresets(candidate);
            }
        }
        return new ConfigPresets(Path.Combine(System.IO.Directory.GetCurrentDirectory(), "configs"));
    }

    public IReadOnlyList<string> Names =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList()
            : [];

    public bool Contains(string name) => IsSafeName(name) && File.Exists(PathOf(name));

    public string PathOf(string name)
    {
        if (!IsSafeName(name)) throw new ArgumentException($"'{name}' is not a preset name");
        return Path.Combine(Directory, name + ".yaml");
    }

    public TrainingConfig Load(string name) =>
        Contains(name)
            ? TrainingConfigYaml.Load(PathOf(name))
            : throw new ArgumentException($"no preset named '{name}' (known: {string.Join(", ", Names)})");

    /// <summary>A preset name or YAML text itself — never a file path, so callers serving remote users read no server files.</summary>
    public TrainingConfig Resolve(string nameOrYaml, string source = "YAML")
    {
        var text = nameOrYaml.Trim();
        if (Contains(text)) return Load(text);
        if (!text.Contains(':'))
            throw new ArgumentException($"no preset named '{text}' (known: {string.Join(", ", Names)})");
        return TrainingConfigYaml.Parse(text, source);
    }

    private static bool IsSafeName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') && !name.Contains("..");
}
