using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace VptSp.Core.Runtime;

/// <summary>What this process's tensor backend is and can do.</summary>
public sealed record RuntimeInfo(
    string VptSpVersion,
    string TorchSharpVersion,
    string Device,
    string? GpuName,
    int TorchThreads,
    bool Bf16MatmulWorks);

public static class TorchRuntime
{
    /// <summary>Resolves "cpu", "cuda", "cuda:N" or a GPU index (the seed's --gpu N) to a device, falling back to CPU when no GPU exists.</summary>
    public static Device ResolveDevice(string? request)
    {
        if (string.IsNullOrWhiteSpace(request) || request.Equals("cpu", StringComparison.OrdinalIgnoreCase))
            return CPU;
        if (!cuda.is_available())
            return CPU;
        if (int.TryParse(request, out var index))
            return new Device(DeviceType.CUDA, index);
        return new Device(request);
    }

    /// <summary>
    /// The one line to say when <paramref name="request"/> (the seed's --gpu value) asks for a GPU that is not there, so the
    /// run trains on the CPU (<see cref="ResolveDevice"/>'s fallback); null when nothing needs saying.
    /// </summary>
    public static string? CpuFallbackNotice(string? request) => CpuFallbackNotice(request, CudaAvailable());

    public static string? CpuFallbackNotice(string? request, bool cudaAvailable) =>
        string.IsNullOrWhiteSpace(request) || request.Equals("cpu", StringComparison.OrdinalIgnoreCase) || cudaAvailable
            ? null
            : $"vptsp: --gpu {request} asked for a CUDA device but none is available; training on the CPU";

    /// <summary>True when libtorch sees a CUDA device (a CUDA build on a machine with a GPU).</summary>
    public static bool CudaAvailable() => cuda.is_available();

    public static string VptSpVersion =>
        typeof(TorchRuntime).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(TorchRuntime).Assembly.GetName().Version?.ToString() ?? "unknown";

    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
        ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";

    public static RuntimeInfo Describe(string? deviceRequest = null)
    {
        var device = ResolveDevice(deviceRequest);
        string? gpuName = null;
        if (device.type == DeviceType.CUDA)
            gpuName = $"CUDA device {device.index} of {cuda.device_count()}";
        return new RuntimeInfo(VptSpVersion, TorchSharpVersion, device.ToString(), gpuName,
            get_num_threads(), Bf16MatmulWorks(device));
    }

    /// <summary>True when a bfloat16 matrix product runs on the device and agrees with fp32 to bf16 precision.</summary>
    public static bool Bf16MatmulWorks(Device device)
    {
        try
        {
            using var scope = NewDisposeScope();
            var gen = new Generator(7);
            var a = rand(new long[] { 32, 32 }, generator: gen, device: device);
            var b = rand(new long[] { 32, 32 }, generator: gen, device: device);
            var exact = a.mm(b);
            var low = a.to(ScalarType.BFloat16).mm(b.to(ScalarType.BFloat16)).to(ScalarType.Float32);
            var relErr = (low - exact).abs().max().item<float>() / exact.abs().max().item<float>();
            return relErr < 0.05f;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
