using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using VptSp.Core.Training;
using VptSp.Runs.Data;
using VptSp.Runs.Data.Entities;
using VptSp.Runs.SystemMetrics;

namespace VptSp.Runs;

/// <summary>
/// The observer of one executing run. Called on the training thread, it only queues: a writer task stores
/// thinned steps, epochs and facts in batches (one DbContext per batch) and publishes epoch events
/// once they are stored. Step progress goes to the feed directly (throttled there).
/// </summary>
public sealed class RunRecorder : ITrainingObserver
{
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(200);
    private const int MaxBatch = 1000;

    private readonly long _runId;
    private readonly string? _gitCommit;
    private readonly StepThinning _thinning;
    private readonly IDbContextFactory<ExperimentDbContext> _dbFactory;
    private readonly ProgressFeed _feed;
    private readonly ILogger _logger;
    private readonly Channel<object> _items = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly Task _writer;
    private bool _firstStepQueued;
    private int _lastStep;
    private int _systemSamples;

    public RunRecorder(long runId, string? gitCommit, StepThinning thinning,
        IDbContextFactory<ExperimentDbContext> dbFactory, ProgressFeed feed, ILogger logger)
    {
        _runId = runId;
        _gitCommit = gitCommit;
        _thinning = thinning;
        _dbFactory = dbFactory;
        _feed = feed;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Epoch rows stored so far (the writer's count, for the outcome).</summary>
    public int EpochsStored { get; private set; }

    public void OnStarted(RunFacts facts) => _items.Writer.TryWrite(facts);

    /// <summary>Statuses are recorded by the worker from the engine's outcome.</summary>
    public void OnStateChanged(RunState state, string? message) { }

    public void OnStep(StepProgress progress)
    {
        Volatile.Write(ref _lastStep, progress.Step);
        if (!_firstStepQueued)
        {
            _firstStepQueued = true;
            _items.Writer.TryWrite(new FirstStep(progress.Step, progress.Epoch));
        }
        if (_thinning.Keep(progress.Step, progress.StepsPerEpoch))
            _items.Writer.TryWrite(progress);
        _feed.PublishStep(new StepProgressEvent(_runId, progress), force: progress.EndsEpoch);
    }

    public void OnEpoch(EpochReport report) => _items.Writer.TryWrite(report);

    /// <summary>The latest step seen (stored with each system sample).</summary>
    public int LastStep => Volatile.Read(ref _lastStep);

    /// <summary>A system sample (the sampler's timer thread): stored, thinned by sample count as steps are by step.</summary>
    public void OnSystem(SystemSample sample)
    {
        var index = Interlocked.Increment(ref _systemSamples);
        if (_thinning.Keep(index, 0)) _items.Writer.TryWrite(sample);
    }

    /// <summary>The engine writes its log lines to the run's log file itself.</summary>
    public void OnLog(string line) { }

    /// <summary>Stores everything still queued and stops the writer.</summary>
    public async Task CompleteAsync()
    {
        _items.Writer.TryComplete();
        await _writer;
    }

    /// <summary>Where this execution starts: stored history at or after it (left by an earlier execution of the run) is replaced.</summary>
    private sealed record FirstStep(int Step, int Epoch);

    private async Task WriteLoopAsync()
    {
        var reader = _items.Reader;
        while (await reader.WaitToReadAsync())
        {
            await Task.WhenAny(Task.Delay(BatchWindow), reader.Completion);
            var batch = new List<object>();
            while (batch.Count < MaxBatch && reader.TryRead(out var item)) batch.Add(item);
            try
            {
                await WriteBatchAsync(batch);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "run {RunId}: storing {Count} progress records failed", _runId, batch.Count);
            }
        }
    }

    private async Task WriteBatchAsync(List<object> batch)
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == _runId);
        if (run is null) return; // deleted meanwhile
        var epochs = new List<EpochReport>();
        var stepsAdded = 0;
        var historyCut = false;
        foreach (var item in batch)
        {
            switch (item)
            {
                case RunFacts f:
                    ApplyFacts(run, f);
                    break;
                case FirstStep first:
                    // A resumed run continues from its checkpoint: history past it is dropped, so no step is missing or doubled.
                    await db.Steps.Where(x => x.RunId == _runId && x.Step >= first.Step).ExecuteDeleteAsync();
                    await db.Epochs.Where(x => x.RunId == _runId && x.Epoch >= first.Epoch).ExecuteDeleteAsync();
                    historyCut = true;
                    break;
                case StepProgress s:
                    db.Steps.Add(StepSampleEntity.From(_runId, s));
                    stepsAdded++;
                    break;
                case SystemSample s:
                    db.SystemSamples.Add(SystemSampleEntity.From(_runId, s));
                    break;
                case EpochReport e:
                    await db.Epochs.Where(x => x.RunId == _runId && x.Epoch == e.Epoch).ExecuteDeleteAsync();
                    db.Epochs.Add(new EpochMetricEntity
                    {
                        RunId = _runId, Epoch = e.Epoch, Loss = e.Loss, DurationSeconds = e.Duration.TotalSeconds, IsBest = e.IsBest,
                        MetricsJson = JsonSerializer.Serialize(e.Metrics), RecordedAt = DateTimeOffset.UtcNow,
                    });
                    epochs.Add(e);
                    break;
            }
        }
        if (epochs.Count > 0 || historyCut)
        {
            // the whole summary at epoch ends (and after a resume cut history); between them only the step count moves
            await db.SaveChangesAsync();
            await RunSummaries.RefreshBestAsync(db, run);
        }
        else run.StepsRecorded += stepsAdded;
        await db.SaveChangesAsync();
        EpochsStored = run.EpochsCompleted;
        foreach (var e in epochs)
            _feed.Publish(new EpochCompletedEvent(_runId, e.Epoch, e.Metrics));
    }

    private void ApplyFacts(RunEntity run, RunFacts f)
    {
        run.Method = f.Method;
        run.Backbone = f.Backbone;
        run.TotalParameters = f.TotalParameters;
        run.TrainableParameters = f.TrainableParameters;
        run.Device = f.Device;
        run.Seed = f.Seed;
        run.VptSpVersion = f.VptSpVersion;
        run.TorchSharpVersion = f.TorchSharpVersion;
        run.DatasetFingerprint = f.DatasetFingerprint;
        run.BackboneCheckpointSha256 = f.BackboneCheckpointSha256;
        run.GitCommit = _gitCommit;
    }
}
