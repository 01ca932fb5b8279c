using VptSp.Core.Training;
using VptSp.Runs;

namespace VptSp.Web.Components.Pages.Runs;

/// <summary>The Runs table's filter, applied in the page to the full list (so the filter menus can offer every value).</summary>
public sealed record RunTableFilter(string? Status = null, string? Dataset = null, string? Method = null, string? Text = null)
{
    public bool IsEmpty => Status is null && Dataset is null && Method is null && string.IsNullOrWhiteSpace(Text);

    public bool Matches(RunSummary run)
    {
        if (Status is not null && RunStates.Name(run.Status) != Status) return false;
        if (Dataset is not null && run.Dataset != Dataset) return false;
        if (Method is not null && run.Method != Method) return false;
        if (string.IsNullOrWhiteSpace(Text)) return true;
        var t = Text.Trim();
        return Contains(run.Name, t) || Contains(run.Preset, t) || Contains(run.Backbone, t) || Contains(run.Notes, t)
            || run.Tags.Any(tag => Contains(tag, t)) || run.Id.ToString() == t.TrimStart('#');
    }

    private static bool Contains(string? s, string t) => s is not null && s.Contains(t, StringComparison.OrdinalIgnoreCase);
}
