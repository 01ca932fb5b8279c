using System.ComponentModel.DataAnnotations;
using VptSp.Core.Training;
using VptSp.Runs.DataRoots;

namespace VptSp.Runs.Options;

/// <summary>
/// Section "Storage": the experiment database (SQLite file in the data directory by default, or PostgreSQL shared by several
/// hosts), where run folders and the demo data root live.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string DataDirectoryVariable = DataLayout.DataDirectoryVariable;
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>"sqlite" (the embedded default: one host, one in-process worker) or "postgres" (a dashboard and workers on several hosts).</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>PostgreSQL: the Npgsql connection string (required). SQLite: optional, overrides the file in the data directory.</summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    /// <summary>Absolute after start-up: the configured value, else $VPTSP_DATA_DIR, else ./data under the content root.</summary>
    [Required] public string DataDirectory { get; set; } = "";

    /// <summary>Extra data roots (name → path) besides the always-registered emoji demo root "demo".</summary>
    public Dictionary<string, string> DataRoots { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Extra folders a submitted run's <c>backbone_checkpoint</c> may read from (besides checkpoints, backbones, data roots, runs).</summary>
    public List<string> BackboneRoots { get; set; } = [];

    /// <summary>Most bytes the checkpoints folder may hold; an upload that would pass it is refused.</summary>
    [Range(0, long.MaxValue)] public long CheckpointQuotaBytes { get; set; } = 20L << 30;

    /// <summary>Steps recorded one by one before thinning starts.</summary>
    [Range(1, 1_000_000)] public int StepSamplesKeepAll { get; set; } = 2000;

    /// <summary>After <see cref="StepSamplesKeepAll"/>, every this-many-th step is recorded (plus each epoch's last).</summary>
    [Range(1, 100_000)] public int StepSamplesEvery { get; set; } = 10;

    /// <summary>Seconds between two system samples of a training run (CPU, memory, GPU); they are thinned as steps are, by sample count.</summary>
    [Range(0.1, 3600)] public double SystemSampleSeconds { get; set; } = 2;

    public string DatabasePath => Path.Combine(DataDirectory, "vptsp.db");
    public string SqliteConnectionString => string.IsNullOrWhiteSpace(ConnectionString) ? $"Data Source={DatabasePath}" : ConnectionString;
    public string RunsDirectory => DataLayout.RunsDirectory(DataDirectory);
    public string DemoRoot => DataLayout.DemoRoot(DataDirectory);
    public string CheckpointsDirectory => Path.Combine(DataDirectory, "checkpoints");
    public string BackbonesDirectory => Path.Combine(DataDirectory, DataLayout.BackbonesFolder);

    /// <summary>The registered data roots: "demo" first, then <see cref="DataRoots"/> by name.</summary>
    public IReadOnlyList<(string Name, string Path)> RegisteredDataRoots =>
        [(DataRootService.DemoRootName, DemoRoot), .. DataRoots.OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase).Select(kv => (kv.Key, kv.Value))];

    public string RunDirectoryOf(long id) => Path.Combine(RunsDirectory, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
