namespace VptSp.Runs.SystemMetrics;

/// <summary>
/// The machine's load at one moment of a run: the training process's CPU share and resident memory, and the run's GPU
/// where NVML reports it (<see cref="Gpu"/> null = not measured: a CPU run, or no NVIDIA driver on the worker — never 0).
/// </summary>
/// <param name="CpuPercent">Process CPU time over wall time since the previous sample, as a share of all cores (0–100).</param>
/// <param name="RssBytes">Resident set size of the process (largest seen since the previous sample).</param>
public sealed record SystemSample(DateTimeOffset At, int Step, double CpuPercent, long RssBytes, GpuReading? Gpu);

/// <summary>One GPU as NVML reports it: utilisation over its last sample period, memory in use (all processes), board power.</summary>
/// <param name="Device">NVML's device index.</param>
/// <param name="PowerWatts">Null where the board does not report power.</param>
public sealed record GpuReading(int Device, double UtilizationPercent, long MemoryUsedBytes, long MemoryTotalBytes, double? PowerWatts);
