using System.Diagnostics;
using TorchSharp;
using VptSp.Core.Data;
using VptSp.Core.Data.Loading;
using VptSp.Core.Evaluation;
using VptSp.Core.Inference;
using VptSp.Core.MetricLearning;
using VptSp.Core.Modeling;
using VptSp.Core.Modeling.Checkpoints;
using VptSp.Core.Runtime;
using static TorchSharp.torch;

namespace VptSp.Core.Training;

/// <summary>Everything one run holds while it trains: data, model, optimisers, losses and the resumable state.</summary>
internal sealed class TrainingSession : IDisposable
{
    private readonly TrainingConfig _c;
    private readonly TrainingRequest _request;
    private readonly RunLog _log;
    private readonly RunDirectory _dir;
    private readonly Device _device;
    private readonly DatasetInfo _data;
    private readonly DatasetSplit _train;
    private readonly EvaluationSet _eval;
    private readonly DecodedImageCache _cache;
    private readonly TrainLoader _loader;
    private readonly MetricModel _model;
    private readonly OptimizerSet _optimizers;
    private readonly GradScaler _scaler;
    private readonly IMetricLoss _loss;
    private readonly MetricSuiteOptions _metricOptions;
    private readonly string _storageKey;
    private readonly string? _exportPath;
    private CheckpointState _state;
    private readonly RunJournal? _journal;
    private readonly RunCheckpoints _checkpoints;

    private TrainingSession(TrainingRequest request, RunLog log)
    {
        _request = request;
        _c = TrainingConfigYaml.Validate(request.Config);
        _log = log;
        _dir = log.Directory;
        _device = TorchRuntime.ResolveDevice(request.Device);
        _metricOptions = MetricSelection.Options(_c);
        _exportPath = ModelFactory.ResolveExport(_c, request.DataDirectory);

        // A crash inside a checkpoint swap leaves the previous checkpoint aside: put it back before looking.
        RunDirectory.RecoverReplace(_dir.CheckpointDir);
        RunDirectory.RecoverReplace(_dir.ArtefactsDir);
        var resuming = request.Resume && _dir.HasCheckpoint;
        if (request.Resume && !resuming)
            throw new Diagnostics.UserFacingException($"nothing to resume: {_dir.Path} has no checkpoint yet");
        if (!request.Resume && _dir.HasCheckpoint)
            throw new Diagnostics.UserFacingException($"{_dir.Path} already holds a run; resume it or choose another output folder");
        // Everything that can be wrong with the request is checked before the run directory is written.
        var sourceRoot = Path.GetFullPath(SourceRoot());
        _data = DatasetCatalog.Default.Open(sourceRoot, _c.Dataset);
        _train = _data.Split(_c.TrainSplit);
        _eval = EvaluationSet.For(_data, _c);
        _storageKey = MetricSelection.StorageKey(_c, _eval.Gallery is not null);
        var backbone = ModelFactory.ResolveBackboneSource(_c, request.DataDirectory);
        var checkpoint = backbone.Path;
        // the model too: a backbone checkpoint that does not fit fails here, before the run directory exists
        _model = new MetricModel(ModelFactory.Options(_c, _train.ClassCount, checkpoint, _device.type == DeviceType.CUDA), _device);

        _dir.Create();
        _dir.WriteConfig(_c);
        var provenance = backbone.Describe(_model.CheckpointSha256);
        _dir.WriteSource(new RunSource(sourceRoot, request.DataDirectory, checkpoint, provenance));
        _log.Write($"backbone: {provenance}");
        foreach (var warning in _data.Warnings) _log.Write($"data: {warning}");
        _optimizers = new OptimizerSet(_c, _model.ModelParameters(), _model.ProxyParameters());
        // as the reference: a dynamic loss scaler whenever the run is on CUDA (its GradScaler is on there even without mix_precision)
        _scaler = new GradScaler(enabled: _device.type == DeviceType.CUDA);
        _loss = MetricLossFactory.Create(_c);

        var pre = _model.Preprocessing;
        _cache = new DecodedImageCache((long)_c.ImageCacheMb << 20);
        _loader = new TrainLoader(_train, Augmentation.TrainTransform(_c, pre), new LoaderOptions
        {
            BatchSize = _c.BatchSize,
            SamplesPerClass = _c.SamplesPerClass,
            Seed = _c.Seed,
            Workers = _c.Kernels,   // 0: batches made between steps in the training thread (see README, "Data loader threads")
        }, _cache);

        _checkpoints = new RunCheckpoints(_dir, _model, _optimizers);
        _state = new CheckpointState(0, 0, 0, 0, null, null, null);
        if (resuming)
        {
            _state = _checkpoints.Load();
            _log.Write($"resuming at epoch {_state.Epoch + 1}, step {_state.StepInEpoch} of it (global step {_state.GlobalStep})");
        }
        // What was recorded past the checkpoint (before a crash) is cut: the run continues from the checkpoint.
        _dir.TruncateMetrics(_state.Epoch);
        // A folder checkpointed before history.jsonl existed gets none: a journal starting mid-run would look like the whole record.
        _journal = resuming && !File.Exists(_dir.HistoryFile) ? null : RunJournal.Open(_dir, _state);
    }

    public static TrainingSession Open(TrainingRequest request, RunLog log) => new(request, log);

    private int StepsPerEpoch => _loader.BatchesPerEpoch;

    public TrainingOutcome Run(CancellationToken ct)
    {
        var counts = _model.CountParameters();
        _log.Observer.OnStarted(new RunFacts(_c.Method.Name(), _c.PretrainedModel, counts.Total, counts.Trainable, _train.ClassCount,
            _train.Count, _eval.ImageCount, _device.ToString(), _c.Seed, TorchRuntime.VptSpVersion, TorchRuntime.TorchSharpVersion,
            DatasetFingerprint.Compute(_data), _model.CheckpointSha256));
        if (TorchRuntime.CpuFallbackNotice(_request.Device) is { } notice) _log.Write(notice); // log.txt and the host's console
        if (_c.Bf16 == Bf16Mode.Auto) _log.Write($"precision: bf16 auto → {TorchRuntime.ProbeBf16(_device).Describe()}");
        _log.Write($"{_c.Method.Name()} on {_c.PretrainedModel}: {counts}; {_train.ClassCount} classes, {_train.Count} train images, " +
                   $"{StepsPerEpoch} steps per epoch, {_c.NEpochs} epochs");
        _log.Observer.OnStateChanged(RunState.Running, null);

        var totalSteps = StepsPerEpoch * _c.NEpochs;
        var clock = Stopwatch.StartNew();
        var stepsThisSession = 0;
        for (var epoch = _state.Epoch; epoch < _c.NEpochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            _optimizers.SetEpoch(epoch);
            _model.train();
            var skip = epoch == _state.Epoch ? _state.StepInEpoch : 0;
            var lossSum = epoch == _state.Epoch ? _state.EpochLossSum : 0.0;
            var stepInEpoch = skip;
            foreach (var batch in _loader.Epoch(epoch).Skip(skip))
            {
                using (batch)
                {
                    if (ct.IsCancellationRequested)
                        return Cancel(epoch, stepInEpoch, lossSum);
                    var stepClock = Stopwatch.StartNew();
                    var loss = Step(batch);
                    stepInEpoch++;
                    stepsThisSession++;
                    if (double.IsFinite(loss)) lossSum += loss;   // a step the scaler skipped adds nothing
                    _state = _state with { GlobalStep = _state.GlobalStep + 1 };
                    var perStep = clock.Elapsed.TotalSeconds / stepsThisSession;
                    var progress = new StepProgress(epoch + 1, _state.GlobalStep, StepsPerEpoch, totalSteps, loss, _optimizers.ModelLr,
                        batch.Count / Math.Max(stepClock.Elapsed.TotalSeconds, 1e-9),
                        TimeSpan.FromSeconds(perStep * (totalSteps - _state.GlobalStep)), EtaReady: stepsThisSession >= StepProgress.StepsBeforeEta);
                    _journal?.AppendStep(progress); // the run folder first, the observers (a database) second
                    FaultPoints.Hit($"step {_state.GlobalStep}");
                    _log.Observer.OnStep(progress);
                    if (stepInEpoch % LogEverySteps == 0)
                        _log.Write(ProgressText.Line(progress, _c.NEpochs));
                }
            }
            if (ct.IsCancellationRequested && stepInEpoch < StepsPerEpoch)
                return Cancel(epoch, stepInEpoch, lossSum);
            FinishEpoch(epoch, lossSum / Math.Max(1, stepInEpoch), epochClock.Elapsed);
        }
        return Complete();
    }

    /// <summary>Steps between the progress lines of the run's log (so a log shows life long before the first epoch ends).</summary>
    public const int LogEverySteps = 10;

    private double Step(ImageBatch batch)
    {
        using var scope = NewDisposeScope();
        // Reseeding per global step makes dropout draws independent of where a run was resumed.
        manual_seed(_c.Seed * 1_000_003L + _state.GlobalStep);
        var images = batch.Images.to(_device);
        var labels = batch.Labels.to(_device);
        var output = _model.ForwardTrain(images, labels);
        var loss = _loss.Forward(output, labels);
        var value = loss.ReadSingle();
        if (!_scaler.Enabled && !float.IsFinite(value))
        {
            // without a scaler (CPU) nothing would stop the non-finite gradients from reaching the weights
            _model.DiscardStep();
            throw new Diagnostics.UserFacingException($"the loss became {value} at step {_state.GlobalStep + 1}; lower lr or lr_proxy");
        }
        _optimizers.ZeroGrad();
        _scaler.ScaleLoss(loss).backward();
        // the class-prompt leaves belong to the model optimiser's step, as the reference's bank group does
        var modelTensors = _model.ModelParameters().Cast<Tensor>().Concat(_model.PendingClassPrompts?.Leaves ?? Array.Empty<Tensor>()).ToList();
        var modelStepped = _scaler.Step(_optimizers.Model, modelTensors);
        _scaler.Step(_optimizers.Proxy, _model.ProxyParameters());
        _scaler.Update();
        if (modelStepped || _optimizers.Model is null) _model.AfterStep(_optimizers.ModelLr);
        else
        {
            _model.DiscardStep();
            _log.Write($"step {_state.GlobalStep + 1} skipped: non-finite gradients; loss scale now {_scaler.Scale}");
        }
        return value;
    }

    private void FinishEpoch(int epoch, double meanLoss, TimeSpan trainTime)
    {
        var evaluate = epoch >= _c.EvalStart || epoch == _c.NEpochs - 1;
        IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double>();
        var isBest = false;
        if (evaluate)
        {
            metrics = _eval.Evaluate(_model, _c, _metricOptions, _cache);
            if (TrainSplitMetrics.Wanted(_c, _eval.Gallery is not null))
                metrics = TrainSplitMetrics.Append(metrics, TrainSplitMetrics.Evaluate(new MetricModelEmbedder(_model), _train, _c, _cache));
            var score = metrics[_storageKey];
            if (_state.BestScore is null || score > _state.BestScore)
            {
                isBest = true;
                _state = _state with { BestEpoch = epoch + 1, BestScore = score, BestMetrics = metrics.ToDictionary() };
                SaveArtefacts();
            }
            _dir.AppendMetrics(epoch + 1, meanLoss, metrics);
        }
        var report = new EpochReport(epoch + 1, meanLoss, metrics, trainTime, isBest);
        _journal?.AppendEpoch(report);
        FaultPoints.Hit($"epoch {epoch + 1} recorded");
        _state = _state with { Epoch = epoch + 1, StepInEpoch = 0, EpochLossSum = 0 };
        SaveCheckpoint();
        FaultPoints.Hit($"epoch {epoch + 1} checkpointed");
        _log.Observer.OnEpoch(report);
        _log.Write($"epoch {epoch + 1}: loss {meanLoss:F4}" +
                   string.Concat(metrics.Select(kv => $", {kv.Key} {kv.Value:F4}")) + (isBest ? " (best so far, chosen on the test split as the reference does)" : ""));
    }

    private TrainingOutcome Cancel(int epoch, int stepInEpoch, double lossSum)
    {
        _state = _state with { Epoch = epoch, StepInEpoch = stepInEpoch, EpochLossSum = lossSum };
        SaveCheckpoint();
        _log.Write($"cancelled at epoch {epoch + 1}, step {stepInEpoch}; checkpoint saved");
        _log.Observer.OnStateChanged(RunState.Cancelled, null);
        return new TrainingOutcome(RunState.Cancelled, epoch, _state.BestEpoch, _state.BestMetrics, null);
    }

    private TrainingOutcome Complete()
    {
        if (!Directory.Exists(_dir.ArtefactsDir))
            SaveArtefacts();
        if (_exportPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_exportPath)!);
            var tmp = _exportPath + ".tmp";
            File.Copy(Path.Combine(_dir.ArtefactsDir, ArtefactFiles.Backbone), tmp, overwrite: true);
            File.Move(tmp, _exportPath, overwrite: true);
            _log.Write($"backbone exported to {_exportPath}");
        }
        _log.Write(_state.BestEpoch is { } best
            ? $"completed; best epoch {best} ({_storageKey} {_state.BestScore:F4}, chosen on the test split as the reference does)"
            : "completed");
        _log.Observer.OnStateChanged(RunState.Completed, null);
        return new TrainingOutcome(RunState.Completed, _c.NEpochs, _state.BestEpoch, _state.BestMetrics, null);
    }

    private void SaveArtefacts() => _checkpoints.SaveArtefacts();

    private void SaveCheckpoint() => _checkpoints.Save(_state, _journal);

    private string SourceRoot()
    {
        if (!string.IsNullOrWhiteSpace(_request.SourcePath)) return _request.SourcePath;
        if (_c.Dataset == "emoji" && _request.DataDirectory is not null) return Path.Combine(_request.DataDirectory, "demo");
        throw new ArgumentException($"no source path given for dataset '{_c.Dataset}' (--source_path)");
    }

    public void Dispose()
    {
        _journal?.Dispose();
        _optimizers.Dispose();
        _model.Dispose();
    }
}
