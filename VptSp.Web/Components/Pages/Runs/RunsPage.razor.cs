using Microsoft.AspNetCore.Components;
using MudBlazor;
using VptSp.Core.Demo;
using VptSp.Core.Training;
using VptSp.Runs;
using VptSp.Runs.DataRoots;
using VptSp.Web.Components.Shared;
using VptSp.Web.Services.Errors;
using VptSp.Web.Services.Launch;

namespace VptSp.Web.Components.Pages.Runs;

public partial class RunsPage
{
    [Inject] private IRunService Runs { get; set; } = null!;
    [Inject] private IRunEvents Events { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private IDataRootService DataRoots { get; set; } = null!;
    [Inject] private ConfigPresets Presets { get; set; } = null!;
    [Inject] private DemoLaunchService Demo { get; set; } = null!;
    [Inject] private PageErrors Errors { get; set; } = null!;

    private List<RunSummary>? _runs;
    private string? _loadError;
    private RunTableFilter _filter = new();
    private bool _showArchived;
    private bool _launchingDemo;
    private DemoEstimate? _estimate;
    private long? _rateRun;
    private readonly HashSet<long> _selected = [];
    private readonly Dictionary<long, StepProgress> _live = new();
    private IReadOnlyList<string> _datasets = [];
    private IReadOnlyList<string> _methods = [];
    private IDisposable? _subscription;
    private readonly RenderThrottle _progressRenders;
    private int _reloadPending;

    public RunsPage() => _progressRenders = new RenderThrottle(() => InvokeAsync(StateHasChanged));

    private IReadOnlyList<RunSummary> Visible => _runs?.Where(_filter.Matches).ToList() ?? [];

    private string CompareHref => "/compare?ids=" + string.Join(",", _selected.Order());

    // Grouping (issue 16): "none", "sweep", "tag" or "key:<config key>"; the groups cover the visible runs.
    private string _groupBy = "none";
    private int _version;
    private static readonly string[] GroupKeys = ["lr", "lr_proxy", "num_prompt", "proxy_bias_ratio", "optim", "seed"];
    private string ResultsHref => "/results?ids=" + string.Join(",", _selected.Order()) + "&by=" + Uri.EscapeDataString(_groupBy);

    protected override async Task OnInitializedAsync()
    {
        _subscription = Events.Subscribe(null, OnRunEvent);
        await ReloadAsync();
        await LoadEstimateAsync();
    }

    // The demos' training time: emoji split sizes × epochs at the img/s the latest emoji run measured (else the 2-core range).
    private async Task LoadEstimateAsync()
    {
        try
        {
            if (DemoEstimate.EmojiSizes(DataRoots.List()) is not { } sizes) return;
            double? rate = null;
            var latest = _runs?.FirstOrDefault(r => r.Dataset == "emoji" && r.StartedAt is not null);
            if (latest is not null)
            {
                rate = DemoEstimate.MedianRate((await Runs.GetMetricsAsync(latest.Id)).Steps);
                if (rate is not null) _rateRun = latest.Id;
            }
            _estimate = new DemoEstimate(sizes.Pretrain, sizes.Train,
                Presets.Load(QuickDemo.PretrainPreset).NEpochs, Presets.Load("emoji_vptsp_g").NEpochs, rate);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Errors.Log(ex, "estimating the demo's time");
            _estimate = null; // the buttons still work; only the estimate is missing
        }
    }

    private async Task ReloadAsync()
    {
        try
        {
            var runs = await Runs.ListAsync(new RunFilter(IncludeArchived: _showArchived));
            _runs = runs.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).ToList();
            _datasets = _runs.Select(r => r.Dataset).Distinct().Order().ToList();
            _methods = _runs.Select(r => r.Method).Distinct().Order().ToList();
            _selected.IntersectWith(_runs.Select(r => r.Id));
            _version++;
            foreach (var id in _live.Keys.Where(id => _runs.All(r => r.Id != id || r.Status != RunState.Running)).ToList()) _live.Remove(id);
            _loadError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _runs ??= [];
            _loadError = Errors.Message(ex, "listing runs");
        }
    }

    // Called off the render thread by the run platform.
    private void OnRunEvent(RunEvent e)
    {
        if (e is StepProgressEvent step)
        {
            _ = InvokeAsync(() =>
            {
                _live[step.RunId] = step.Progress;
                _progressRenders.Request(); // the last event always renders, so the row never stays behind the run page
            });
            return;
        }
        // State changes and completed epochs change the row's status / best metrics: re-read the list (coalesced).
        if (Interlocked.Exchange(ref _reloadPending, 1) == 1) return;
        _ = InvokeAsync(async () =>
        {
            Interlocked.Exchange(ref _reloadPending, 0);
            await ReloadAsync();
            StateHasChanged();
        });
    }

    private async Task ShowArchivedChangedAsync(bool value)
    {
        _showArchived = value;
        await ReloadAsync();
    }

    private async Task LaunchDemoAsync(bool quick)
    {
        _launchingDemo = true;
        try
        {
            Snackbar.Add(await Demo.LaunchAsync(quick), Severity.Success);
            await ReloadAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Snackbar.Add($"Could not queue the demo: {Errors.Message(ex, "queueing the demo")}", Severity.Error);
        }
        finally
        {
            _launchingDemo = false;
        }
    }

    private async Task EditNotesAsync(RunSummary run)
    {
        var parameters = new DialogParameters<RunNotesDialog>
        {
            { d => d.RunName, run.Name },
            { d => d.Tags, run.Tags },
            { d => d.Notes, run.Notes },
        };
        var dialog = await Dialogs.ShowAsync<RunNotesDialog>("Tags and notes", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is null || result.Canceled || result.Data is not ValueTuple<IReadOnlyList<string>, string?> data) return;
        await Guard(async () =>
        {
            await Runs.SetTagsAsync(run.Id, data.Item1);
            await Runs.SetNotesAsync(run.Id, data.Item2);
        }, "Saved tags and notes.");
    }

    private Task ArchiveAsync(RunSummary run) =>
        Guard(() => Runs.SetArchivedAsync(run.Id, !run.Archived), run.Archived ? $"Run #{run.Id} restored." : $"Run #{run.Id} archived.");

    private async Task DeleteAsync(RunSummary run)
    {
        var ok = await Dialogs.ShowMessageBoxAsync("Delete run?",
            $"Run #{run.Id} “{run.Name}”, its metrics and its artefacts will be deleted. This cannot be undone.",
            yesText: "Delete", cancelText: "Cancel");
        if (ok != true) return;
        _selected.Remove(run.Id);
        await Guard(() => Runs.DeleteAsync(run.Id), $"Run #{run.Id} deleted.");
    }

    private async Task Guard(Func<Task> action, string success)
    {
        try
        {
            await action();
            Snackbar.Add(success, Severity.Success);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Snackbar.Add(Errors.Message(ex), Severity.Error);
        }
        await ReloadAsync();
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _progressRenders.Dispose();
        GC.SuppressFinalize(this);
    }
}
