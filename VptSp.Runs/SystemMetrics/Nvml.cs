using System.Runtime.InteropServices;

namespace VptSp.Runs.SystemMetrics;

/// <summary>
/// NVIDIA's management library (<c>libnvidia-ml.so.1</c>, installed with the driver), loaded at run time: absent on
/// machines without an NVIDIA driver, where <see cref="TryOpen"/> returns null and no GPU metrics are recorded.
/// </summary>
public sealed class Nvml
{
    [StructLayout(LayoutKind.Sequential)] private struct Utilization { public uint Gpu; public uint Memory; }
    [StructLayout(LayoutKind.Sequential)] private struct Memory { public ulong Total; public ulong Free; public ulong Used; }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int InitFn();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int HandleFn(uint index, out IntPtr device);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int UtilizationFn(IntPtr device, out Utilization value);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int MemoryFn(IntPtr device, out Memory value);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int PowerFn(IntPtr device, out uint milliwatts);

    private static readonly Lazy<Nvml?> Shared = new(Open);

    private readonly HandleFn _handle;
    private readonly UtilizationFn _utilization;
    private readonly MemoryFn _memory;
    private readonly PowerFn _power;

    private Nvml(IntPtr library)
    {
        _handle = Export<HandleFn>(library, "nvmlDeviceGetHandleByIndex_v2");
        _utilization = Export<UtilizationFn>(library, "nvmlDeviceGetUtilizationRates");
        _memory = Export<MemoryFn>(library, "nvmlDeviceGetMemoryInfo");
        _power = Export<PowerFn>(library, "nvmlDeviceGetPowerUsage");
    }

    /// <summary>The process's NVML (initialised once), or null where the library is missing or does not start.</summary>
    public static Nvml? TryOpen() => Shared.Value;

    /// <summary>Device <paramref name="index"/>'s reading, or null when NVML cannot read it.</summary>
    public GpuReading? Read(int index)
    {
        if (_handle((uint)index, out var device) != 0) return null;
        if (_utilization(device, out var u) != 0 || _memory(device, out var m) != 0) return null;
        double? watts = _power(device, out var mw) == 0 ? mw / 1000.0 : null;
        return new GpuReading(index, u.Gpu, (long)m.Used, (long)m.Total, watts);
    }

    private static Nvml? Open()
    {
        if (!NativeLibrary.TryLoad("libnvidia-ml.so.1", out var library) && !NativeLibrary.TryLoad("libnvidia-ml.so", out library))
            return null;
        try
        {
            return Export<InitFn>(library, "nvmlInit_v2")() == 0 ? new Nvml(library) : null;
        }
        catch (EntryPointNotFoundException)
        {
            return null; // a library of that name without NVML's entry points
        }
    }

    private static T Export<T>(IntPtr library, string name) where T : Delegate =>
        Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(library, name));

    /// <summary>
    /// NVML's index of the CUDA device <paramref name="cudaIndex"/> of this process: CUDA_VISIBLE_DEVICES renumbers devices
    /// ("2,3" makes NVML's 3 this process's cuda:1); other forms of that variable (UUIDs) are not mapped (null).
    /// </summary>
    public static int? NvmlIndex(int cudaIndex, string? cudaVisibleDevices)
    {
        if (string.IsNullOrWhiteSpace(cudaVisibleDevices)) return cudaIndex;
        var parts = cudaVisibleDevices.Split(',', StringSplitOptions.TrimEntries);
        return cudaIndex < parts.Length && int.TryParse(parts[cudaIndex], out var n) ? n : null;
    }
}
