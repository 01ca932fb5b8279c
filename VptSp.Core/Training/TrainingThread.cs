using System.Runtime.ExceptionServices;

namespace VptSp.Core.Training;

/// <summary>
/// Runs work on a fresh dedicated thread and waits for it. TorchSharp's dispose scopes and grad mode are
/// per thread, so a run must never hop threads (no thread pool, no awaits inside a step).
/// </summary>
public static class TrainingThread
{
    public static T Run<T>(Func<T> work, string name = "vptsp-training")
    {
        T result = default!;
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            try { result = work(); }
            catch (Exception ex) { error = ExceptionDispatchInfo.Capture(ex); }
        }, maxStackSize: 16 << 20) { Name = name, IsBackground = true };
        thread.Start();
        thread.Join();
        error?.Throw();
        return result;
    }
}
