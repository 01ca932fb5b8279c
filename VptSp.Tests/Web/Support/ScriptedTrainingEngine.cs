using System.Globalization;
using VptSp.Core.Training;
using VptSp.Core.Runtime;

namespace VptSp.Tests.Web.Support;

/// <summary>
/// A test-only engine that follows the <see cref="ITrainingEngine"/> contract without tensors: reports facts,
/// steps and epochs, checks cancellation between steps (then saves a checkpoint marker of the last finished
/// epoch and returns Cancelled), resumes after that epoch, and can hold at a step or fail at a step on request.
/// </summary>
public sealed class ScriptedTrainingEngine : ITrainingEngine
{
    public const string CheckpointFile = "checkpoint.txt";
    public const string ArtefactFile = "artefacts.json";

    private readonly Lock _gate = new();
    private Hold? _hold;

    public int StepsPerEpoch { get; set; } = 4;

    /// <summary>On cancel, checkpoint the last finished step (not only the last finished epoch); resume continues after it.</summary>
    public bool MidEpochCheckpoints { get; set; }

    /// <summary>Fails (throws) when this global step is reached, once.</summary>
    public int? ThrowAtStep { get; set; }

    /// <summary>Returns a Failed outcome when this global step is reached, once.</summary>
    public int? FailAtStep { get; set; }

    /// <summary>The metrics of an epoch (config, epoch) instead of the default recall@1 = 0.1·epoch, map@r = 0.05·epoch.</summary>
    public Func<TrainingConfig, int, Dictionary<string, double>>? EpochMetrics { get; set; }

    public List<(TrainingRequest Request, string ThreadName, bool OnThreadPool)> Calls { get; } = [];

    /// <summary>The next run to reach global step <paramref name="step"/> stops there until released (or cancelled).</summary>
    public Hold HoldAt(int step)
    {
        var hold = new Hold(step);
        lock (_gate) _hold = hold;
        return hold;
    }

    /// <summary>This engine's checkpoint is its marker file.</summary>
    public bool HasCheckpoint(string runDirectory) => File.Exists(Path.Combine(runDirectory, CheckpointFile));

    public TrainingOutcome Run(TrainingRequest request, ITrainingObserver observer, CancellationToken cancellationToken)
    {
        lock (_gate) Calls.Add((request, Thread.CurrentThread.Name ?? "", Thread.CurrentThread.IsThreadPoolThread));
        var config = request.Config;
        Directory.CreateDirectory(request.RunDirectory);
        var checkpoint = Path.Combine(request.RunDirectory, CheckpointFile);
        // Checkpoint marker: "<finished epochs>" or "<finished epochs> <finished global step>".
        var marker = request.Resume && File.Exists(checkpoint) ? File.ReadAllText(checkpoint).Split(' ') : ["0"];
        var done = int.Parse(marker[0], CultureInfo.InvariantCulture);
        var resumeAfterStep = marker.Length > 1 ? int.Parse(marker[1], CultureInfo.InvariantCulture) : done * StepsPerEpoch;
        observer.OnStarted(new RunFacts(config.Method.Name(), config.PretrainedModel, 1000, 25, 10, 100, 50, request.Device ?? "cpu",
            config.Seed, "test", "0.107.0", "fingerprint-" + config.Dataset, null));
        observer.OnStateChanged(RunState.Running, request.Resume ? $"resuming after epoch {done}" : null);
        var total = config.NEpochs * StepsPerEpoch;
        var stepsThisExecution = 0;
        for (var epoch = done + 1; epoch <= config.NEpochs; epoch++)
        {
            for (var i = 1; i <= StepsPerEpoch; i++)
            {
                var step = (epoch - 1) * StepsPerEpoch + i;
                if (step <= resumeAfterStep) continue;
                WaitIfHeld(step, cancellationToken);
                if (cancellationToken.IsCancellationRequested)
                {
                    File.WriteAllText(checkpoint, MidEpochCheckpoints
                        ? string.Create(CultureInfo.InvariantCulture, $"{done} {step - 1}")
                        : done.ToString(CultureInfo.InvariantCulture));
                    observer.OnLog($"cancelled at step {step}; checkpoint after epoch {done}");
                    return new TrainingOutcome(RunState.Cancelled, done, null, null, null);
                }
                if (ThrowAtStep == step) { ThrowAtStep = null; throw new InvalidOperationException($"scripted crash at step {step}"); }
                if (FailAtStep == step) { FailAtStep = null; return new TrainingOutcome(RunState.Failed, done, null, null, $"scripted failure at step {step}"); }
                observer.OnStep(new StepProgress(epoch, step, StepsPerEpoch, total, 1.0 / step, 0.001, 100, TimeSpan.FromSeconds(total - step),
                    EtaReady: ++stepsThisExecution >= StepProgress.StepsBeforeEta));
            }
            var metrics = EpochMetrics?.Invoke(config, epoch) ?? new Dictionary<string, double> { ["recall@1"] = 0.1 * epoch, ["map@r"] = 0.05 * epoch };
            observer.OnEpoch(new EpochReport(epoch, 1.0 / epoch, metrics, TimeSpan.FromMilliseconds(10), IsBest: true));
            done = epoch;
            File.WriteAllText(checkpoint, done.ToString(CultureInfo.InvariantCulture));
        }
        File.WriteAllText(Path.Combine(request.RunDirectory, ArtefactFile), "{}");
        return new TrainingOutcome(RunState.Completed, done, done, new Dictionary<string, double> { ["recall@1"] = 0.1 * done }, null);
    }

    private void WaitIfHeld(int step, CancellationToken ct)
    {
        Hold? hold;
        lock (_gate)
        {
            hold = _hold?.Step == step ? _hold : null;
            if (hold is not null) _hold = null;
        }
        if (hold is null) return;
        hold.Reach();
        WaitHandle.WaitAny([hold.Released.WaitHandle, ct.WaitHandle]);
    }

    public sealed class Hold(int step)
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Step { get; } = step;
        public ManualResetEventSlim Released { get; } = new(false);
        public Task Reached => _reached.Task;
        internal void Reach() => _reached.TrySetResult();
        public void Release() => Released.Set();
    }
}
