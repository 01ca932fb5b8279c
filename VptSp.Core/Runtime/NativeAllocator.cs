using System.Runtime.InteropServices;

namespace VptSp.Core.Runtime;

/// <summary>
/// Keeps glibc's malloc, which libtorch's CPU allocator uses for every tensor, from handing freed tensor memory back to the
/// system between operations. With glibc's defaults, a free that leaves more than the trim threshold (dynamic, at most 64 MB)
/// on top of the heap is trimmed, and blocks at or above the mmap threshold are unmapped, so the next tensor of that size is
/// faulted in again page by page (zero-filled 4 KB at a time); the op-level gain is large, the whole-step gain within noise
/// (docs/measurements.md). The process keeps
/// the memory it has used (its resident size stays at its peak instead of rising and falling every step), as PyTorch's
/// CUDA caching allocator does on a GPU. Opt-in (VPTSP_MALLOC_TUNING=1): it is process-wide, a long-lived dashboard would keep
/// its peak native memory after every run, and the whole-step gain is within noise; no effect off glibc/Linux.
/// </summary>
public static partial class NativeAllocator
{
    // glibc <malloc.h>
    private const int MTrimThreshold = -1;
    private const int MMmapThreshold = -3;

    /// <summary>Blocks below this come from the heap, not from their own mapping: glibc's largest allowed value (HEAP_MAX_SIZE / 2 on 64-bit).</summary>
    public const int MmapThresholdBytes = 32 * 1024 * 1024;

    /// <summary>Free memory at the top of a heap is kept up to this much.</summary>
    public const int TrimThresholdBytes = 1024 * 1024 * 1024;

    private static readonly Lazy<bool> Applied = new(Apply);

    /// <summary>The variable that turns the setting on ("1").</summary>
    public const string Variable = "VPTSP_MALLOC_TUNING";

    /// <summary>Applies the setting once per process when <see cref="Variable"/> is "1" (later calls return the first result): true when applied.</summary>
    public static bool EnsureConfigured() => Applied.Value;

    private static bool Apply() => Environment.GetEnvironmentVariable(Variable) == "1" && TryApply();

    /// <summary>Tells glibc to keep freed memory now: true when it accepted both thresholds; false off Linux or off glibc.</summary>
    internal static bool TryApply()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            // setting the mmap threshold explicitly also turns off glibc's dynamic adjustment of both thresholds
            return Mallopt(MMmapThreshold, MmapThresholdBytes) == 1 && Mallopt(MTrimThreshold, TrimThresholdBytes) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;   // not glibc (e.g. musl): nothing to tune
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int param, int value);
}
