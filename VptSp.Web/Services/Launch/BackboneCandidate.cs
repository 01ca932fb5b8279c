using VptSp.Core.Training;
using VptSp.Runs;

namespace VptSp.Web.Services.Launch;

/// <summary>A backbone a run can start from: a completed full / pre-training run (its exported backbone or run directory).</summary>
public sealed record BackboneCandidate(string Label, string Path)
{
    public static async Task<IReadOnlyList<BackboneCandidate>> FindAsync(IRunService runs, CancellationToken ct = default)
    {
        try
        {
            var completed = await runs.ListAsync(new RunFilter(Status: RunState.Completed, Method: "full"), ct);
            var result = new List<BackboneCandidate>();
            foreach (var run in completed.Where(r => r.Status == RunState.Completed && r.Method == "full").OrderByDescending(r => r.Id).Take(20))
            {
                var detail = await runs.GetAsync(run.Id, ct);
                var path = string.IsNullOrWhiteSpace(detail.Config.ExportBackbone) ? detail.RunDirectory : detail.Config.ExportBackbone;
                result.Add(new BackboneCandidate($"run #{run.Id} {run.Name}", path));
            }
            return result;
        }
        catch (Exception ex) when (ex is RunNotFoundException or InvalidOperationException)
        {
            return [];
        }
    }
}
