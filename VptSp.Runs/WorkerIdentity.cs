using Microsoft.Extensions.Options;
using VptSp.Runs.Options;

namespace VptSp.Runs;

/// <summary>
/// Who this process is as a worker: the name written on the runs it claims ("host:pid" unless Workers:Name is set), the
/// device it trains on, and whether it may claim runs that ask for CUDA.
/// </summary>
public sealed class WorkerIdentity(IOptions<WorkerOptions> workers, IOptions<TrainingOptions> training)
{
    public string Name { get; } = string.IsNullOrWhiteSpace(workers.Value.Name)
        ? $"{Environment.MachineName}:{Environment.ProcessId}"
        : workers.Value.Name.Trim();

    /// <summary>Training:Device as configured ("cpu", "0", "cuda", "cuda:1"; null: the engine's choice, the CPU here).</summary>
    public string? Device { get; } = training.Value.Device;

    /// <summary>The device shown beside the worker: "cpu" or "cuda:N".</summary>
    public string DeviceLabel => Device switch
    {
        null or "" or "cpu" => "cpu",
        "cuda" => "cuda:0",
        var d when d.StartsWith("cuda", StringComparison.Ordinal) => d,
        var index => "cuda:" + index,
    };

    public bool HasCuda => DeviceLabel != "cpu";
}
