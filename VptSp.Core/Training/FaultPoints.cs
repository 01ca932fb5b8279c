namespace VptSp.Core.Training;

/// <summary>
/// Named places in the trainer's write sequence where a test can stop the run as a kill would: the hook throws, and
/// nothing after that point runs (no clean-up touches the run folder). The hook is per thread, so tests running in
/// parallel cannot trip each other's runs; production code never sets it.
/// </summary>
internal static class FaultPoints
{
    [ThreadStatic] private static Action<string>? _hook;

    /// <summary>Sets the current thread's hook (null clears it).</summary>
    public static void Install(Action<string>? hook) => _hook = hook;

    public static void Hit(string point) => _hook?.Invoke(point);
}
