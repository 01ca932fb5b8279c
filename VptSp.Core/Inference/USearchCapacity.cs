using System.Reflection;
using System.Runtime.InteropServices;
using Cloud.Unum.USearch;

namespace VptSp.Core.Inference;

/// <summary>
/// Reserves capacity in a USearch index up front. The 2.26.6 C# binding reserves only inside its own
/// (single-threaded) Add calls, so parallel adds would race on growing the index; with the capacity
/// reserved first, concurrent Add calls never resize and USearch's native add is thread-safe (it
/// reserves one slot per hardware thread). Reaches the native handle by reflection; when that fails
/// (another binding version) callers fall back to a sequential build.
/// </summary>
internal static partial class USearchCapacity
{
    private static readonly FieldInfo? HandleField =
        typeof(USearchIndex).GetField("_index", BindingFlags.NonPublic | BindingFlags.Instance);

    [LibraryImport("libusearch_c", EntryPoint = "usearch_reserve")]
    private static partial void NativeReserve(IntPtr index, UIntPtr capacity, out IntPtr error);

    /// <summary>True when the index now holds room for <paramref name="capacity"/> vectors in total.</summary>
    public static bool TryReserve(USearchIndex index, int capacity)
    {
        if (HandleField?.GetValue(index) is not IntPtr handle || handle == IntPtr.Zero) return false;
        try
        {
            NativeReserve(handle, (UIntPtr)capacity, out var error);
            return error == IntPtr.Zero && index.Capacity() >= (ulong)capacity;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
