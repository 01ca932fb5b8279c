using VptSp.Runs.SystemMetrics;

namespace VptSp.Runs.Data.Entities;

/// <summary>One stored <see cref="SystemSample"/> of a run (thinned as step rows are). GPU columns are null where no GPU was measured.</summary>
public sealed class SystemSampleEntity
{
    public long Id { get; set; }
    public long RunId { get; set; }
    /// <summary>Unix time, milliseconds.</summary>
    public long AtMs { get; set; }
    public int Step { get; set; }
    public double CpuPercent { get; set; }
    public long RssBytes { get; set; }
    public int? GpuDevice { get; set; }
    public double? GpuUtilizationPercent { get; set; }
    public long? GpuMemoryUsedBytes { get; set; }
    public long? GpuMemoryTotalBytes { get; set; }
    public double? GpuPowerWatts { get; set; }

    public static SystemSampleEntity From(long runId, SystemSample s) => new()
    {
        RunId = runId, AtMs = s.At.ToUnixTimeMilliseconds(), Step = s.Step, CpuPercent = s.CpuPercent, RssBytes = s.RssBytes,
        GpuDevice = s.Gpu?.Device, GpuUtilizationPercent = s.Gpu?.UtilizationPercent, GpuMemoryUsedBytes = s.Gpu?.MemoryUsedBytes,
        GpuMemoryTotalBytes = s.Gpu?.MemoryTotalBytes, GpuPowerWatts = s.Gpu?.PowerWatts,
    };

    public SystemSample ToSample() => new(DateTimeOffset.FromUnixTimeMilliseconds(AtMs), Step, CpuPercent, RssBytes,
        GpuDevice is { } d ? new GpuReading(d, GpuUtilizationPercent ?? 0, GpuMemoryUsedBytes ?? 0, GpuMemoryTotalBytes ?? 0, GpuPowerWatts) : null);
}
