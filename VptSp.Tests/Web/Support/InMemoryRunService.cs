using VptSp.Core.Training;
using VptSp.Runs;
using VptSp.Runs.DataRoots;
using VptSp.Core.Runtime;
using VptSp.Core.Modeling;

namespace VptSp.Tests.Web.Support;

/// <summary>
/// A test double of the run platform: runs in a list, events published synchronously to subscribers.
/// Submissions are validated as the real service does (preset/YAML + overrides through TrainingConfigYaml).
/// </summary>
public sealed class InMemoryRunService : IRunService, IRunEvents
{
    private readonly object _gate = new();
    private readonly List<RunSummary> _runs = [];
    private readonly Dictionary<long, RunDetail> _details = new();
    private readonly Dictionary<long, (List<StepSample> Steps, List<EpochSample> Epochs)> _metrics = new();
    private readonly Dictionary<long, List<VptSp.Runs.SystemMetrics.SystemSample>> _system = new();
    private readonly List<(long? RunId, Action<RunEvent> Handler)> _subscribers = [];
    private long _nextId = 1;

    public ConfigPresets ConfigPresets { get; } = ConfigPresets.Discover();

    public List<RunSubmission> Submissions { get; } = [];

    public IReadOnlyList<string> Presets => ConfigPresets.Names;

    /// <summary>Adds a run built from a preset (its config, dataset and method) with the given status and metrics.</summary>
    public RunSummary Seed(string name, string statusName, string preset = "emoji_vptsp_g", Func<TrainingConfig, TrainingConfig>? edit = null,
        double? recall = null, double? mapR = null, int epochs = 0, IReadOnlyList<string>? tags = null, bool hasCheckpoint = false)
    {
        var status = RunStates.Parse(statusName);
        var config = ConfigPresets.Load(preset) with { Name = name };
        if (edit is not null) config = edit(config);
        lock (_gate)
        {
            var id = _nextId++;
            var created = DateTimeOffset.UtcNow.AddMinutes(-60 + id);
            var started = status == RunState.Queued ? (DateTimeOffset?)null : created.AddSeconds(5);
            var finished = status is RunState.Completed or RunState.Failed or RunState.Cancelled ? started?.AddMinutes(3) : null;
            var summary = new RunSummary(id, name, status, config.Dataset, config.Method.Name(), config.PretrainedModel, preset,
                21_700_000, config.Method == TrainingMethod.Full ? 21_700_000 : 120_000 + 1_000 * id, recall, mapR, recall is null ? null : epochs,
                epochs, config.NEpochs, created, started, finished, tags ?? [], null, false, status == RunState.Failed ? "out of memory" : null,
                started is null ? null : $"gpu-box:{100 + id} · cuda:0");
            _runs.Add(summary);
            _details[id] = new RunDetail(summary, config, config.ToYaml(), "/data/emoji", $"/data/runs/{id}",
                started is null ? null : new RunReproducibility("0.1.0", "abc1234", "0.107.0", "cpu", config.Seed, "sha256:1f2e3d", null),
                started is null ? [] : [$"run {id} started", "epoch 1: loss 2.31"], status == RunState.Completed ? ["artefacts.safetensors", "config.yaml"] : [], hasCheckpoint);
            var steps = new List<StepSample>();
            var epochSamples = new List<EpochSample>();
            for (var e = 1; e <= epochs; e++)
            {
                for (var s = 1; s <= 10; s++)
                {
                    var step = (e - 1) * 10 + s;
                    steps.Add(new StepSample(step, e, 3.0 / Math.Sqrt(step + id), 0.001 * Math.Cos(step / 40.0) + 1e-5, 120));
                }
                var r1 = (recall ?? 0.5) * (0.6 + 0.4 * e / epochs);
                epochSamples.Add(new EpochSample(e, 3.0 / Math.Sqrt(e * 10 + id),
                    new Dictionary<string, double> { ["e_recall@1"] = r1, ["mAP_R"] = (mapR ?? 0.3) * (0.6 + 0.4 * e / epochs), ["nmi"] = 0.5 + 0.05 * e }, 30));
            }
            _metrics[id] = (steps, epochSamples);
            return summary;
        }
    }

    public RunSummary Summary(long id)
    {
        lock (_gate) return _runs.Single(r => r.Id == id);
    }

    /// <summary>Changes a run's status and publishes the state change, as the worker does.</summary>
    public void SetStatus(long id, string statusName, double? recall = null)
    {
        var status = RunStates.Parse(statusName);
        lock (_gate)
        {
            var i = _runs.FindIndex(r => r.Id == id);
            var run = _runs[i] with
            {
                Status = status,
                StartedAt = _runs[i].StartedAt ?? DateTimeOffset.UtcNow,
                FinishedAt = status is RunState.Completed or RunState.Failed or RunState.Cancelled ? DateTimeOffset.UtcNow : null,
                BestRecallAt1 = recall ?? _runs[i].BestRecallAt1,
            };
            _runs[i] = run;
            _details[id] = _details[id] with { Summary = run };
        }
        Publish(new RunStateChangedEvent(id, status, null));
    }

    /// <summary>Appends a line to the run's log tail (no event: pages re-read it, as with the real log file).</summary>
    public void AppendLog(long id, string line)
    {
        lock (_gate) _details[id] = _details[id] with { LogTail = [.. _details[id].LogTail, line] };
    }

    /// <summary>Records a training step and publishes it (10 steps per epoch, as <see cref="Seed"/> stores them).</summary>
    public void Step(long id, int epoch, int step, int totalSteps, double loss, double lr = 1e-3, bool etaReady = true)
    {
        lock (_gate) _metrics[id].Steps.Add(new StepSample(step, epoch, loss, lr, 100));
        Publish(new StepProgressEvent(id, new StepProgress(epoch, step, 10, totalSteps, loss, lr, 100, TimeSpan.FromSeconds(totalSteps - step), etaReady)));
    }

    public void Publish(RunEvent e)
    {
        List<Action<RunEvent>> handlers;
        lock (_gate) handlers = _subscribers.Where(s => s.RunId is null || s.RunId == e.RunId).Select(s => s.Handler).ToList();
        foreach (var h in handlers) h(e);
    }

    public int SubscriberCount
    {
        get { lock (_gate) return _subscribers.Count; }
    }

    public IDisposable Subscribe(long? runId, Action<RunEvent> handler)
    {
        var entry = (runId, handler);
        lock (_gate) _subscribers.Add(entry);
        return new Unsubscriber(() => { lock (_gate) _subscribers.Remove(entry); });
    }

    public Task<IReadOnlyList<RunSummary>> ListAsync(RunFilter filter, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyList<RunSummary> list = _runs
                .Where(r => filter.IncludeArchived || !r.Archived)
                .Where(r => filter.Status is null || r.Status == filter.Status)
                .Where(r => filter.Dataset is null || r.Dataset == filter.Dataset)
                .Where(r => filter.Method is null || r.Method == filter.Method)
                .Where(r => filter.Text is null || r.Name.Contains(filter.Text, StringComparison.OrdinalIgnoreCase))
                .ToList();
            return Task.FromResult(list);
        }
    }

    public Task<RunDetail> GetAsync(long id, CancellationToken ct = default)
    {
        lock (_gate)
            return _details.TryGetValue(id, out var d) ? Task.FromResult(d) : throw new RunNotFoundException(id);
    }

    /// <summary>System samples a test adds (<see cref="AddSystemSample"/>); none otherwise.</summary>
    public Task<IReadOnlyList<VptSp.Runs.SystemMetrics.SystemSample>> GetSystemSamplesAsync(long id, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (!_metrics.ContainsKey(id)) throw new RunNotFoundException(id);
            return Task.FromResult<IReadOnlyList<VptSp.Runs.SystemMetrics.SystemSample>>(
                _system.TryGetValue(id, out var list) ? list.ToList() : []);
        }
    }

    public void AddSystemSample(long id, VptSp.Runs.SystemMetrics.SystemSample sample)
    {
        lock (_gate)
        {
            if (!_system.TryGetValue(id, out var list)) _system[id] = list = [];
            list.Add(sample);
        }
    }

    public Task<RunMetrics> GetMetricsAsync(long id, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (!_metrics.TryGetValue(id, out var m)) throw new RunNotFoundException(id);
            return Task.FromResult(new RunMetrics(m.Steps.ToList(), m.Epochs.ToList()));
        }
    }

    /// <summary>When set, <see cref="SubmitAsync"/> throws it (error-policy tests).</summary>
    public Exception? FailSubmitWith { get; set; }

    public Task<SubmitResult> SubmitAsync(RunSubmission submission, CancellationToken ct = default)
    {
        if (FailSubmitWith is { } failure) throw failure;
        var config = ConfigPresets.Resolve(submission.Config);
        if (submission.Overrides is { Count: > 0 }) config = config.WithOverrides(submission.Overrides);
        var preset = ConfigPresets.Contains(submission.Config) ? submission.Config : "yaml";
        var summary = Seed(submission.Name ?? config.Name, "queued", ConfigPresets.Contains(submission.Config) ? submission.Config : "emoji_vptsp_g",
            _ => config, tags: submission.Tags);
        lock (_gate)
        {
            Submissions.Add(submission);
            var i = _runs.FindIndex(r => r.Id == summary.Id);
            _runs[i] = _runs[i] with { Preset = preset };
        }
        int position;
        lock (_gate) position = _runs.Count(r => RunStates.IsActive(r.Status));
        Publish(new RunStateChangedEvent(summary.Id, RunState.Queued, null));
        return Task.FromResult(new SubmitResult(summary.Id, RunState.Queued, position));
    }

    public Task CancelAsync(long id, CancellationToken ct = default)
    {
        var run = Summary(id);
        if (!RunStates.CanCancel(run.Status)) throw new RunStateConflictException($"run {id} is {run.Status}");
        SetStatus(id, "cancelled");
        return Task.CompletedTask;
    }

    public Task<SubmitResult> ResumeAsync(long id, CancellationToken ct = default)
    {
        SetStatus(id, "queued");
        return Task.FromResult(new SubmitResult(id, RunState.Queued, 1));
    }

    public Task DeleteAsync(long id, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (_runs.RemoveAll(r => r.Id == id) == 0) throw new RunNotFoundException(id);
            _details.Remove(id);
            _metrics.Remove(id);
        }
        return Task.CompletedTask;
    }

    public Task SetArchivedAsync(long id, bool archived, CancellationToken ct = default) => Change(id, r => r with { Archived = archived });

    public Task SetTagsAsync(long id, IReadOnlyList<string> tags, CancellationToken ct = default) => Change(id, r => r with { Tags = tags });

    public Task SetNotesAsync(long id, string? notes, CancellationToken ct = default) => Change(id, r => r with { Notes = notes });

    private Task Change(long id, Func<RunSummary, RunSummary> edit)
    {
        lock (_gate)
        {
            var i = _runs.FindIndex(r => r.Id == id);
            if (i < 0) throw new RunNotFoundException(id);
            _runs[i] = edit(_runs[i]);
            _details[id] = _details[id] with { Summary = _runs[i] };
        }
        return Task.CompletedTask;
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}

/// <summary>Data roots for tests: the emoji demo root with its splits and credits.</summary>
public sealed class InMemoryDataRoots : IDataRootService
{
    public List<DataRootInfo> Roots { get; } =
    [
        new("emoji", "/data/emoji", [
            new DatasetSummary("emoji",
                new Dictionary<string, SplitSummary> { ["pretrain"] = new(400, 3200), ["train"] = new(100, 800), ["test"] = new(100, 800) },
                ["Noto Emoji by Google, Apache-2.0", "Twemoji by Twitter, CC-BY 4.0"]),
        ], null),
        new("cub", "/data/cub", [], "CUB_200_2011 not found under /data/cub"),
    ];

    public IReadOnlyList<DataRootInfo> List() => Roots;
}
