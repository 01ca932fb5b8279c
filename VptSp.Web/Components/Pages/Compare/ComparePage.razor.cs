using Microsoft.AspNetCore.Components;
using VptSp.Runs;

namespace VptSp.Web.Components.Pages.Compare;

public partial class ComparePage
{
    [SupplyParameterFromQuery(Name = "ids")] public string? Ids { get; set; }

    [Inject] private IRunService Runs { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    private IReadOnlyList<RunSummary> _all = [];
    private List<ComparedRun> _runs = [];
    private List<long> _missing = [];
    private IReadOnlyCollection<long> _ids = [];
    private string _xAxis = "step";
    private bool _loading = true;
    private string? _loadedIds;

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedIds == Ids && !_loading) return;
        _loadedIds = Ids;
        _loading = true;
        var ids = ParseIds(Ids);
        _ids = ids;
        _all = await Runs.ListAsync(new RunFilter(IncludeArchived: true));
        _runs = [];
        _missing = [];
        foreach (var id in ids)
        {
            try
            {
                var detail = await Runs.GetAsync(id);
                var metrics = await Runs.GetMetricsAsync(id);
                _runs.Add(new ComparedRun(detail, metrics));
            }
            catch (RunNotFoundException)
            {
                _missing.Add(id);
            }
        }
        _loading = false;
    }

    public static List<long> ParseIds(string? ids) =>
        (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.TryParse(s.TrimStart('#'), out var id) ? id : -1).Where(id => id > 0).Distinct().ToList();

    private Task SelectionChangedAsync(IReadOnlyCollection<long>? ids)
    {
        var list = (ids ?? []).Order().ToList();
        Navigation.NavigateTo("/compare" + (list.Count == 0 ? "" : "?ids=" + string.Join(",", list)));
        return Task.CompletedTask;
    }
}

/// <summary>A run on the Compare page: its detail and its recorded metrics.</summary>
public sealed record ComparedRun(RunDetail Detail, RunMetrics Metrics)
{
    public RunSummary Summary => Detail.Summary;
    public string Label => $"#{Summary.Id} {Summary.Name}";

    /// <summary>The epoch that the run reports as best, else the last one.</summary>
    public EpochSample? BestEpoch =>
        Metrics.Epochs.FirstOrDefault(e => e.Epoch == Summary.BestEpoch) ?? (Metrics.Epochs.Count > 0 ? Metrics.Epochs[^1] : null);
}
