using VptSp.Core.Training;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using VptSp.Web.Components.Shared;
using VptSp.Runs;

namespace VptSp.Web.Components.Pages.Runs;

public partial class RunPage
{
    [Parameter] public long Id { get; set; }

    [Inject] private IRunService Runs { get; set; } = null!;
    [Inject] private IRunEvents Events { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private VptSp.Web.Services.Errors.PageErrors Errors { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    private RunDetail? _detail;
    private bool _notFound;
    private StepProgress? _progress;
    private IDisposable? _subscription;
    private long _subscribedId = -1;
    private readonly RenderThrottle _renders;
    private readonly CancellationTokenSource _disposed = new();
    private bool _polling;

    public RunPage() => _renders = new RenderThrottle(() => InvokeAsync(StateHasChanged));

    // Chart data: the lists grow in place, so LineChart sends only the new points.
    private ChartSeries[] _loss = [];
    private ChartSeries[] _lr = [];
    private ChartSeries[] _epochMetrics = [];

    protected override async Task OnParametersSetAsync()
    {
        if (_subscribedId == Id) return;
        _subscription?.Dispose();
        _subscribedId = Id;
        _detail = null;
        _notFound = false;
        _progress = null;
        _loss = [new ChartSeries("loss")];
        _lr = [new ChartSeries("lr")];
        _epochMetrics = RunFormat.ChartedMetrics.Select(m => new ChartSeries(m)).ToArray();
        // Subscribe first, so nothing between the read and the subscription is lost (duplicates are skipped by step).
        _subscription = Events.Subscribe(Id, OnRunEvent);
        await LoadAsync();
        if (!_polling)
        {
            _polling = true;
            _ = PollLogAsync();
        }
    }

    // The log tail has no live event: re-read the detail every few seconds while the run is queued or running.
    private async Task PollLogAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(_disposed.Token))
            {
                if (_detail is null || !RunStates.IsActive(_detail.Summary.Status)) continue;
                await InvokeAsync(async () =>
                {
                    await RefreshDetailAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            _detail = await Runs.GetAsync(Id);
            var metrics = await Runs.GetMetricsAsync(Id);
            foreach (var step in metrics.Steps) AddStep(step.Step, step.Loss, step.Lr);
            foreach (var epoch in metrics.Epochs) AddEpoch(epoch.Epoch, epoch.Metrics);
            var last = metrics.Steps.Count > 0 ? metrics.Steps[^1] : null;
            if (last is not null && _progress is null && _detail.Summary.Status == RunState.Running)
                _progress = last.ToProgress();
        }
        catch (RunNotFoundException)
        {
            _notFound = true;
        }
    }

    private void AddStep(int step, double loss, double lr)
    {
        var points = _loss[0].Points;
        if (points.Count > 0 && points[^1].X >= step) return;
        points.Add(new ChartPoint(step, loss));
        _lr[0].Points.Add(new ChartPoint(step, lr));
    }

    private void AddEpoch(int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        foreach (var series in _epochMetrics)
        {
            var v = RunFormat.Find(metrics, series.Name);
            if (v is null || (series.Points.Count > 0 && series.Points[^1].X >= epoch)) continue;
            series.Points.Add(new ChartPoint(epoch, v.Value));
        }
    }

    private void OnRunEvent(RunEvent e) => _ = InvokeAsync(async () =>
    {
        switch (e)
        {
            case StepProgressEvent step:
                _progress = step.Progress;
                AddStep(step.Progress.Step, step.Progress.Loss, step.Progress.LearningRate);
                break;
            case EpochCompletedEvent epoch:
                AddEpoch(epoch.Epoch, epoch.Metrics);
                await RefreshDetailAsync();
                break;
            case RunStateChangedEvent:
                await RefreshDetailAsync();
                break;
        }
        _renders.Request(); // events arrive a few times a second; the last one always renders
    });

    private async Task RefreshDetailAsync()
    {
        try
        {
            _detail = await Runs.GetAsync(Id);
        }
        catch (RunNotFoundException)
        {
            _notFound = true;
        }
    }

    private async Task CancelAsync()
    {
        try
        {
            await Runs.CancelAsync(Id);
            Snackbar.Add($"Cancelling run #{Id}…", Severity.Info);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Snackbar.Add(Errors.Message(ex, "cancelling a run"), Severity.Error);
        }
        await RefreshDetailAsync();
    }

    private async Task ResumeAsync()
    {
        try
        {
            var result = await Runs.ResumeAsync(Id);
            Snackbar.Add($"Run #{result.Id} queued to resume (position {result.Position}).", Severity.Success);
            if (result.Id != Id) Navigation.NavigateTo($"/runs/{result.Id}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Snackbar.Add(Errors.Message(ex, "resuming a run"), Severity.Error);
        }
        await RefreshDetailAsync();
    }

    /// <summary>The epoch of the run's first evaluation while it has not happened yet.</summary>
    private static int? PendingFirstEvaluation(RunSummary summary, VptSp.Core.Training.TrainingConfig config)
    {
        var first = ProgressText.FirstEvaluatedEpoch(config.EvalStart, config.NEpochs);
        return summary.EpochsCompleted < first ? first : null;
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _renders.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }
}
