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

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<DeviceType, Bf16Probe> Bf16Probes = new();

    /// <summary>
    /// Whether bfloat16 matrix products are clearly faster (≤ 0.9× the time) than fp32 ones on <paramref name="device"/>'s
    /// kind: a 512×256 by 256×1024 product, after an fp32 warm-up timed in a first round of 4 each (bf16 over twice as slow ends it there), then
    /// in 3 interleaved rounds of 4 (the fastest round of each counts). Measured once per process and device type.
    /// </summary>
    public static Bf16Probe ProbeBf16(Device device) => Bf16Probes.GetOrAdd(device.type, _ => MeasureBf16(device));

    private static Bf16Probe MeasureBf16(Device device)
    {
        if (!Bf16MatmulWorks(device)) return new Bf16Probe(false, 0, 0);
        using var scope = NewDisposeScope();
        var gen = new Generator(11);
        var a = rand(new long[] { 512, 256 }, generator: gen).to(device);
        var b = rand(new long[] { 256, 1024 }, generator: gen).to(device);
        var a16 = a.to(ScalarType.BFloat16);
        var b16 = b.to(ScalarType.BFloat16);
        double Time(Tensor x, Tensor y)
        {
            using var inner = NewDisposeScope();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Tensor last = x;
            for (var i = 0; i < 4; i++) last = x.mm(y);
            last.sum().to(ScalarType.Float32).item<float>(); // waits for a GPU to finish
            return watch.Elapsed.TotalMilliseconds / 4;
        }
        Time(a, b); // the first fp32 call carries libtorch's one-time set-up
        double fp32 = Time(a, b), bf16 = Time(a16, b16);
        // emulated bf16 (CPUs without native bf16) is many times slower: no need to time it again
        if (bf16 > 2 * fp32) return new Bf16Probe(false, fp32, bf16);
        for (var round = 0; round < 3; round++)
        {
            fp32 = Math.Min(fp32, Time(a, b));
            bf16 = Math.Min(bf16, Time(a16, b16));
        }
        return new Bf16Probe(bf16 <= 0.9 * fp32, fp32, bf16);
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

/// <summary>The outcome of <see cref="TorchRuntime.ProbeBf16"/>: milliseconds per product in each precision (0 when bf16 does not run).</summary>
public sealed record Bf16Probe(bool Faster, double Fp32Ms, double Bf16Ms)
{
    /// <summary>"bf16 (a bf16 matrix product takes 0.31× the fp32 time here)" or "fp32 (… 9.80× …)".</summary>
    public string Describe() => Bf16Ms <= 0
        ? "fp32 (bf16 matrix products do not run here)"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{(Faster ? "bf16" : "fp32")} (a bf16 matrix product takes {Bf16Ms / Fp32Ms:0.00}× the fp32 time here)");
}
