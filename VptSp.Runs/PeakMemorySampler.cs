using System.Diagnostics;

namespace VptSp.Runs;

/// <summary>Samples the process working set a few times a second while a run executes and keeps the largest value.</summary>
public sealed class PeakMemorySampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    private PeakMemorySampler(TimeSpan every)
    {
        Sample();
        _timer = new Timer(_ => Sample(), null, every, every);
    }

    public static PeakMemorySampler Start(TimeSpan? every = null) => new(every ?? TimeSpan.FromMilliseconds(250));

    /// <summary>The largest working set seen so far, bytes.</summary>
    public long PeakBytes
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak);
        }
    }

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        var now = process.WorkingSet64;
        long seen;
        while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
    }

    public void Dispose() => _timer.Dispose();
}
