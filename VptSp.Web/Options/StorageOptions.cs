using System.ComponentModel.DataAnnotations;

namespace VptSp.Web.Options;

/// <summary>Section "Storage": where the SQLite file, run folders and the demo data root live.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string DataDirectoryVariable = "VPTSP_DATA_DIR";

    /// <summary>Absolute after start-up: the configured value, else $VPTSP_DATA_DIR, else ./data under the content root.</summary>
    [Required] public string DataDirectory { get; set; } = "";

    /// <summary>Extra data roots (name → path) besides the always-registered emoji demo root "demo".</summary>
    public Dictionary<string, string> DataRoots { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Steps recorded one by one before thinning starts.</summary>
    [Range(1, 1_000_000)] public int StepSamplesKeepAll { get; set; } = 2000;

    /// <summary>After <see cref="StepSamplesKeepAll"/>, every this-many-th step is recorded (plus each epoch's last).</summary>
    [Range(1, 100_000)] public int StepSamplesEvery { get; set; } = 10;

    public string DatabasePath => Path.Combine(DataDirectory, "vptsp.db");
    public string RunsDirectory => Path.Combine(DataDirectory, "runs");
    public string DemoRoot => Path.Combine(DataDirectory, "demo");
    public string RunDirectoryOf(long id) => Path.Combine(RunsDirectory, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
