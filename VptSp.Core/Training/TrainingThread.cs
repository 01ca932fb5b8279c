namespace VptSp.Core.Training;

/// <summary>
/// Runs work on a fresh dedicated thread — the one way hosts (CLI commands, the web worker) run tensor work.
/// TorchSharp's dispose scopes and grad mode are per thread, so a run must never hop threads (no thread pool,
/// no awaits inside a step).
/// </summary>
public static class TrainingThread
{
    /// <summary>Starts <paramref name="work"/> on its own background thread; the task ends with its result or exception.</summary>
    public static Task<T> StartAsync<T>(Func<T> work, string name = "vptsp-training")
    {
        ArgumentNullException.ThrowIfNull(work);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try { done.SetResult(work()); }
            catch (Exception ex) { done.SetException(ex); }
        }, maxStackSize: 16 << 20) { Name = name, IsBackground = true };
        thread.Start();
        return done.Task;
    }

    /// <summary>Runs <paramref name="work"/> on its own thread and waits for it; its exception is rethrown as it was.</summary>
    public static T Run<T>(Func<T> work, string name = "vptsp-training") => StartAsync(work, name).GetAwaiter().GetResult();
}
