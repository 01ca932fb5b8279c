namespace VptSp.Runs;

/// <summary>
/// The device a run asks for and which workers may claim it: "cuda" only a worker with a GPU, "cpu" any worker (it then
/// trains on that worker's CPU), "auto" any worker, on the worker's own device.
/// </summary>
public static class RunDevices
{
    public const string Auto = "auto";
    public const string Cpu = "cpu";
    public const string Cuda = "cuda";

    /// <summary>The stored value of a requested device (null or empty: auto); anything else is an error naming it.</summary>
    public static string Parse(string? requested)
    {
        var value = requested?.Trim().ToLowerInvariant();
        return value switch
        {
            null or "" or Auto => Auto,
            Cpu => Cpu,
            Cuda => Cuda,
            _ => throw new InvalidRunInputException("device", $"device: '{requested}' is not one of auto, cpu, cuda"),
        };
    }

    /// <summary>The requested devices a worker may claim: every one, or all but "cuda" without a GPU.</summary>
    public static IReadOnlyList<string> Claimable(bool workerHasCuda) => workerHasCuda ? [Auto, Cpu, Cuda] : [Auto, Cpu];

    /// <summary>The device string the engine trains on: the worker's own unless the run asked for the CPU.</summary>
    public static string? ForEngine(string requested, string? workerDevice) => requested == Cpu ? "cpu" : workerDevice;

    /// <summary>"host:pid · cuda:0" for lists and the run page; null when no worker has claimed the run.</summary>
    public static string? WorkerLabel(string? worker, string? device) =>
        worker is null ? null : device is null ? worker : $"{worker} · {device}";

    /// <summary>The CUDA index of an engine device string ("cuda" → 0, "cuda:1" → 1); null for the CPU or no device.</summary>
    public static int? CudaIndex(string? device) =>
        device is null || !device.StartsWith(Cuda, StringComparison.OrdinalIgnoreCase) ? null
        : device.Length == Cuda.Length ? 0
        : device[Cuda.Length] == ':' && int.TryParse(device.AsSpan(Cuda.Length + 1), out var i) ? i : null;
}
