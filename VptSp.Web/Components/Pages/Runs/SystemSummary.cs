using System.Globalization;
using VptSp.Core.Training;
using VptSp.Runs.SystemMetrics;

namespace VptSp.Web.Components.Pages.Runs;

/// <summary>The one-line summary above a run's system charts: peaks and means, and GPU metrics said to be absent, not zero.</summary>
public static class SystemSummary
{
    public static string Line(IReadOnlyList<SystemSample> samples, RunState status)
    {
        if (samples.Count == 0)
            return RunStates.IsActive(status) ? "System metrics: waiting for the first sample…" : "System metrics: none recorded for this run";
        var parts = new List<string>
        {
            F($"peak RSS {samples.Max(s => s.RssBytes) / 1e9:0.00} GB"),
            F($"mean CPU {samples.Average(s => s.CpuPercent):0} % of {Environment.ProcessorCount} cores"),
        };
        var gpu = samples.Where(s => s.Gpu is not null).Select(s => s.Gpu!).ToList();
        if (gpu.Count == 0)
            parts.Add("GPU: not measured (a CPU run, or no NVIDIA driver on the worker)");
        else
        {
            parts.Add(F($"GPU {gpu[0].Device}: mean {gpu.Average(g => g.UtilizationPercent):0} % busy, peak memory {gpu.Max(g => g.MemoryUsedBytes) / 1e9:0.00} of {gpu[0].MemoryTotalBytes / 1e9:0} GB"));
            if (gpu.Any(g => g.PowerWatts is not null)) parts.Add(F($"peak power {gpu.Max(g => g.PowerWatts ?? 0):0} W"));
        }
        return string.Join(" · ", parts) + F($" ({samples.Count} samples)");
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
