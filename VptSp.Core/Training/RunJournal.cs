using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VptSp.Core.Training;

/// <summary>
/// <c>history.jsonl</c>: every step and every finished epoch of a run, one JSON object a line, appended by the
/// trainer (and handed to the operating system) before any observer hears of it. With the checkpoint it is the
/// run's record; a host's database is an index rebuilt from it (<see cref="ReadCommitted"/>). Lines past the
/// checkpoint (written after it, before a crash) are not part of the record and are cut on resume.
/// </summary>
public sealed class RunJournal : IDisposable
{
    public const string FileName = "history.jsonl";

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
    private readonly FileStream _stream;

    private RunJournal(string path)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
    }

    public string Path { get; }

    /// <summary>Opens the journal for appending, first cutting it back to what <paramref name="resumeFrom"/> covers (a fresh run's empty state: nothing).</summary>
    public static RunJournal Open(RunDirectory directory, CheckpointState resumeFrom)
    {
        var path = directory.HistoryFile;
        if (File.Exists(path))
        {
            var kept = ReadLines(path).Where(r => Covered(r, resumeFrom)).Select(r => Serialize(r) + "\n");
            RunDirectory.WriteTextAtomic(path, string.Concat(kept));
        }
        return new RunJournal(path);
    }

    public void AppendStep(StepProgress r) =>
        Append(new JournalRecord { Type = JournalRecord.StepType, Epoch = r.Epoch, Step = r.Step, StepsPerEpoch = r.StepsPerEpoch,
            Loss = r.Loss, Lr = r.LearningRate, ImagesPerSecond = r.ImagesPerSecond });

    public void AppendEpoch(EpochReport r) =>
        Append(new JournalRecord { Type = JournalRecord.EpochType, Epoch = r.Epoch, Loss = r.Loss, DurationSeconds = r.Duration.TotalSeconds,
            IsBest = r.IsBest, Metrics = r.Metrics.ToDictionary() });

    /// <summary>Forces everything appended so far to the disk (called before each checkpoint).</summary>
    public void Sync() => _stream.Flush(flushToDisk: true);

    public void Dispose() => _stream.Dispose();

    private void Append(JournalRecord record)
    {
        // One write call per line: a killed process leaves whole lines (only a power cut can tear the last one).
        _stream.Write(Encoding.UTF8.GetBytes(Serialize(record) + "\n"));
        _stream.Flush();
    }

    /// <summary>
    /// What the run folder holds up to its checkpoint: the checkpoint state, the steps 1‥GlobalStep and the epochs
    /// 1‥Epoch of the journal (each once, the last line winning). Null when the folder has no checkpoint or no journal
    /// (a run that never finished an epoch, or a folder written by another engine). Finishes a checkpoint swap a crash
    /// interrupted first, so call it only while no trainer is writing the folder.
    /// </summary>
    public static CommittedHistory? ReadCommitted(string runDirectory)
    {
        var dir = new RunDirectory(runDirectory);
        RunDirectory.RecoverReplace(dir.CheckpointDir);
        RunDirectory.RecoverReplace(dir.ArtefactsDir);
        if (!dir.HasCheckpoint || !File.Exists(dir.HistoryFile)) return null;
        var state = CheckpointState.Load(dir.CheckpointStateFile);
        var steps = new SortedDictionary<int, JournalRecord>();
        var epochs = new SortedDictionary<int, JournalRecord>();
        foreach (var r in ReadLines(dir.HistoryFile).Where(r => Covered(r, state)))
        {
            if (r.Type == JournalRecord.StepType) steps[r.Step!.Value] = r;
            else epochs[r.Epoch] = r;
        }
        return new CommittedHistory(state,
            steps.Values.Select(r => new StepProgress(r.Epoch, r.Step!.Value, r.StepsPerEpoch ?? 0, 0, r.Loss, r.Lr ?? 0, r.ImagesPerSecond ?? 0, TimeSpan.Zero, EtaReady: false)).ToList(),
            epochs.Values.Select(r => new EpochReport(r.Epoch, r.Loss, r.Metrics ?? [], TimeSpan.FromSeconds(r.DurationSeconds ?? 0), r.IsBest ?? false)).ToList());
    }

    private static bool Covered(JournalRecord r, CheckpointState state) =>
        r.Type == JournalRecord.StepType ? r.Step is { } s && s >= 1 && s <= state.GlobalStep : r.Epoch >= 1 && r.Epoch <= state.Epoch;

    private static string Serialize(JournalRecord record) => JsonSerializer.Serialize(record, Json);

    /// <summary>Whole records; a line that does not parse (torn by a power cut) is skipped.</summary>
    private static IEnumerable<JournalRecord> ReadLines(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0) continue;
            JournalRecord? record;
            try { record = JsonSerializer.Deserialize<JournalRecord>(line, Json); }
            catch (JsonException) { continue; }
            if (record?.Type is JournalRecord.StepType or JournalRecord.EpochType) yield return record;
        }
    }

    private sealed class JournalRecord
    {
        public const string StepType = "step";
        public const string EpochType = "epoch";

        [JsonPropertyName("type")] public string Type { get; init; } = "";
        [JsonPropertyName("epoch")] public int Epoch { get; init; }
        [JsonPropertyName("step")] public int? Step { get; init; }
        [JsonPropertyName("steps_per_epoch")] public int? StepsPerEpoch { get; init; }
        [JsonPropertyName("loss")] public double Loss { get; init; }
        [JsonPropertyName("lr")] public double? Lr { get; init; }
        [JsonPropertyName("images_per_second")] public double? ImagesPerSecond { get; init; }
        [JsonPropertyName("duration_seconds")] public double? DurationSeconds { get; init; }
        [JsonPropertyName("best")] public bool? IsBest { get; init; }
        [JsonPropertyName("metrics")] public Dictionary<string, double>? Metrics { get; init; }
    }
}

/// <summary>A run's record up to its checkpoint (see <see cref="RunJournal.ReadCommitted"/>), steps and epochs in order.</summary>
public sealed record CommittedHistory(CheckpointState Checkpoint, IReadOnlyList<StepProgress> Steps, IReadOnlyList<EpochReport> Epochs);
