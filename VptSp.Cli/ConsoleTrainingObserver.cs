using System.Globalization;
using Spectre.Console;
using VptSp.Core.Training;

namespace VptSp.Cli;

/// <summary>
/// Prints a run's progress: a Spectre.Console progress bar on an interactive terminal, plain
/// lines (at most one step line every few seconds) when the output is redirected (CI, logs); both in
/// <see cref="ProgressText"/>'s words.
/// </summary>
public sealed class ConsoleTrainingObserver : ITrainingObserver, IDisposable
{
    private readonly TextWriter _output;
    private readonly bool _interactive;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private DateTime _lastLine = DateTime.MinValue;
    private StepProgress? _latest;
    private Task? _progressTask;

    public ConsoleTrainingObserver(TextWriter output, bool interactive)
    {
        _output = output;
        _interactive = interactive;
    }

    public void OnStarted(RunFacts facts)
    {
        WriteLine($"{facts.Method} on {facts.Backbone} ({facts.Device}): {facts.TrainableParameters:N0} of {facts.TotalParameters:N0} parameters trainable ({facts.TrainablePercent:F2} %), " +
                  $"{facts.TrainClasses} classes, {facts.TrainImages} train / {facts.TestImages} test images");
        if (_interactive) _progressTask = Task.Run(RunProgressBar);
    }

    public void OnStateChanged(RunState state, string? message) =>
        WriteLine(message is null ? $"state: {state.ToString().ToLowerInvariant()}" : $"state: {state.ToString().ToLowerInvariant()} — {message}");

    public void OnStep(StepProgress progress)
    {
        lock (_gate) _latest = progress;
        if (_interactive) return;
        var now = DateTime.UtcNow;
        if (now - _lastLine < TimeSpan.FromSeconds(5) && progress.Step != progress.TotalSteps) return;
        _lastLine = now;
        WriteLine(ProgressText.Line(progress));
    }

    public void OnEpoch(EpochReport report)
    {
        var metrics = string.Join("  ", report.Metrics.Select(kv => $"{kv.Key} {kv.Value.ToString("F4", CultureInfo.InvariantCulture)}"));
        WriteLine($"epoch {report.Epoch}: loss {report.Loss:F4}  {metrics}{(report.IsBest ? "  (best)" : "")}  [{report.Duration.TotalSeconds:F1} s]");
    }

    public void OnLog(string line) => WriteLine(line);

    public void Dispose()
    {
        _stop.Cancel();
        try { _progressTask?.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        _stop.Dispose();
    }

    private void WriteLine(string line)
    {
        lock (_gate) _output.WriteLine(line);
    }

    private void RunProgressBar()
    {
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: 1);
                while (!_stop.IsCancellationRequested)
                {
                    StepProgress? r;
                    lock (_gate) r = _latest;
                    if (r is not null)
                    {
                        task.MaxValue = r.TotalSteps;
                        task.Value = r.Step;
                        task.Description = Markup.Escape(ProgressText.Line(r)); // the engine's ETA, as in the log
                    }
                    Thread.Sleep(250);
                }
            });
    }
}
