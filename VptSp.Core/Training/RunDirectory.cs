using System.Text.Json;

namespace VptSp.Core.Training;

/// <summary>
/// The files of one run:
/// <c>config.yaml</c> (resolved), <c>metrics.jsonl</c> (one object per evaluated epoch), <c>history.jsonl</c>
/// (every step and finished epoch, <see cref="RunJournal"/>), <c>log.txt</c>,
/// <c>artefacts/</c> (the trained tensors of the best epoch + manifest), <c>checkpoint/</c> (the last epoch:
/// trained tensors, optimiser states, <c>state.json</c>). Directories are replaced atomically and durably
/// (written aside, fsync'd, renamed); docs/durability.md gives the write order.
/// </summary>
public sealed class RunDirectory
{
    /// <summary>Indented JSON for the run's human-readable records (one cached instance, CA1869).</summary>
    internal static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public RunDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }
    public string ConfigFile => System.IO.Path.Combine(Path, "config.yaml");
    public string MetricsFile => System.IO.Path.Combine(Path, "metrics.jsonl");
    /// <summary>The run's log file name: the engine appends every line it reports through <c>OnLog</c>.</summary>
    public const string LogFileName = "log.txt";

    public string LogFile => System.IO.Path.Combine(Path, LogFileName);
    public string HistoryFile => System.IO.Path.Combine(Path, RunJournal.FileName);
    public string ArtefactsDir => System.IO.Path.Combine(Path, "artefacts");
    public string CheckpointDir => System.IO.Path.Combine(Path, "checkpoint");
    public string CheckpointStateFile => System.IO.Path.Combine(CheckpointDir, "state.json");
    public string SourceFile => System.IO.Path.Combine(Path, "source.json");

    public bool HasCheckpoint => File.Exists(CheckpointStateFile);

    public void Create() => Directory.CreateDirectory(Path);

    public void WriteConfig(TrainingConfig config) => WriteTextAtomic(ConfigFile, config.ToYaml());

    public TrainingConfig ReadConfig() =>
        File.Exists(ConfigFile)
            ? TrainingConfigYaml.Load(ConfigFile)
            : throw new FileNotFoundException($"not a run directory (no config.yaml): {Path}");

    /// <summary>Records where the run's data and backbone came from, so <c>vptsp eval --run</c> needs no more arguments.</summary>
    public void WriteSource(RunSource source) =>
        WriteTextAtomic(SourceFile, JsonSerializer.Serialize(source, Indented));

    public RunSource? ReadSource() =>
        File.Exists(SourceFile) ? JsonSerializer.Deserialize<RunSource>(File.ReadAllText(SourceFile)) : null;

    public void AppendLog(string line) =>
        File.AppendAllText(LogFile, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} {line}{Environment.NewLine}");

    /// <summary>Appends one evaluated epoch: <c>{"epoch": e, "loss": l, "recall@1": …}</c>.</summary>
    public void AppendMetrics(int epoch, double loss, IReadOnlyDictionary<string, double> metrics)
    {
        var row = new Dictionary<string, object> { ["epoch"] = epoch, ["loss"] = loss };
        foreach (var (k, v) in metrics) row[k] = v;
        File.AppendAllText(MetricsFile, JsonSerializer.Serialize(row) + "\n");
    }

    public IReadOnlyList<Dictionary<string, double>> ReadMetrics()
    {
        if (!File.Exists(MetricsFile)) return [];
        return File.ReadAllLines(MetricsFile)
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<Dictionary<string, double>>(l)!)
            .ToList();
    }

    /// <summary>Keeps only metrics rows up to and including <paramref name="lastEpoch"/> (used on resume).</summary>
    public void TruncateMetrics(int lastEpoch)
    {
        if (!File.Exists(MetricsFile)) return;
        var keep = File.ReadAllLines(MetricsFile)
            .Where(l => l.Length > 0 && JsonSerializer.Deserialize<Dictionary<string, double>>(l)!["epoch"] <= lastEpoch);
        WriteTextAtomic(MetricsFile, string.Concat(keep.Select(l => l + "\n")));
    }

    /// <summary>
    /// Writes a directory through a temporary sibling, forces it to the disk, then swaps it in: readers never see half
    /// a directory. A crash between the two renames leaves the old copy aside; <see cref="RecoverReplace"/> puts it back.
    /// </summary>
    public static void ReplaceDirectory(string target, Action<string> write)
    {
        var parent = System.IO.Path.GetDirectoryName(target)!;
        var name = System.IO.Path.GetFileName(target);
        Directory.CreateDirectory(parent);
        var tmp = System.IO.Path.Combine(parent, $".{name}{TmpInfix}{Guid.NewGuid():N}");
        var old = System.IO.Path.Combine(parent, $".{name}{OldInfix}{Guid.NewGuid():N}");
        Directory.CreateDirectory(tmp);
        try
        {
            write(tmp);
            DurableFiles.SyncTree(tmp);
        }
        catch
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
            throw;
        }
        FaultPoints.Hit($"{name} written");
        try
        {
            if (Directory.Exists(target)) Directory.Move(target, old);
            FaultPoints.Hit($"{name} moved aside");
            Directory.Move(tmp, target);
            DurableFiles.SyncDirectory(parent);
        }
        catch (IOException)
        {
            RecoverReplace(target);
            throw;
        }
        FaultPoints.Hit($"{name} swapped");
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
    }

    private const string TmpInfix = ".tmp-";
    private const string OldInfix = ".old-";

    /// <summary>
    /// Repairs what a crash inside <see cref="ReplaceDirectory"/> left: when <paramref name="target"/> is missing but
    /// its previous copy was moved aside, that copy returns (a half-swapped new copy is not trusted); leftover
    /// temporary and old copies are deleted. Call only while nothing writes the directory.
    /// </summary>
    public static void RecoverReplace(string target)
    {
        var parent = System.IO.Path.GetDirectoryName(target)!;
        var name = System.IO.Path.GetFileName(target);
        if (!Directory.Exists(parent)) return;
        var aside = Directory.GetDirectories(parent, $".{name}{OldInfix}*");
        if (!Directory.Exists(target) && aside.Length > 0)
        {
            Directory.Move(aside.OrderByDescending(Directory.GetLastWriteTimeUtc).First(), target);
            DurableFiles.SyncDirectory(parent);
        }
        foreach (var leftover in Directory.GetDirectories(parent, $".{name}{OldInfix}*").Concat(Directory.GetDirectories(parent, $".{name}{TmpInfix}*")))
            Directory.Delete(leftover, recursive: true);
    }

    /// <summary>Writes a file through a temporary sibling, fsync'd, then renamed over the target.</summary>
    public static void WriteTextAtomic(string path, string text)
    {
        var tmp = path + ".tmp";
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
        DurableFiles.SyncDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
    }
}

/// <summary>Where a run read its data from and which backbone file it started from.</summary>
/// <param name="Backbone">The backbone's provenance in one line (<see cref="BackboneSource.Describe"/>); null in runs written before it.</param>
public sealed record RunSource(string SourcePath, string? DataDirectory, string? BackboneCheckpoint, string? Backbone = null);

/// <summary>What <c>checkpoint/state.json</c> records: enough, with the tensors beside it, to resume exactly.</summary>
/// <param name="Epoch">The 0-based epoch in progress (equal to the number of finished epochs when <paramref name="StepInEpoch"/> is 0).</param>
/// <param name="StepInEpoch">Steps already taken in <paramref name="Epoch"/> (a run cancelled mid-epoch resumes after them).</param>
/// <param name="GlobalStep">Steps taken in the whole run.</param>
/// <param name="EpochLossSum">Sum of the losses of the steps taken in <paramref name="Epoch"/> so far.</param>
public sealed record CheckpointState(
    int Epoch,
    int StepInEpoch,
    int GlobalStep,
    double EpochLossSum,
    int? BestEpoch,
    double? BestScore,
    Dictionary<string, double>? BestMetrics)
{
    public void Save(string file) =>
        RunDirectory.WriteTextAtomic(file, JsonSerializer.Serialize(this, RunDirectory.Indented));

    public static CheckpointState Load(string file) =>
        JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(file))
        ?? throw new InvalidDataException($"unreadable checkpoint state: {file}");
}
