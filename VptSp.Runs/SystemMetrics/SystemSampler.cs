using System.Diagnostics;

namespace VptSp.Runs.SystemMetrics;

/// <summary>
/// Watches the training process while a run executes: its resident memory a few times a second (for the run's peak),
/// and every <c>sampleEvery</c> a <see cref="SystemSample"/> (CPU share since the previous one, the largest RSS seen in
/// between, the run's GPU through <see cref="Nvml"/> where there is one) handed to <c>onSample</c>.
/// </summary>
public sealed class SystemSampler : IDisposable
{
    private readonly Timer _memoryTimer;
    private readonly Timer _sampleTimer;
    private readonly Action<SystemSample> _onSample;
    private readonly Func<int> _currentStep;
    private readonly int? _gpuDevice;
    private readonly Nvml? _nvml;
    private readonly object _gate = new();
    private long _peak;
    private long _windowPeak;
    private TimeSpan _lastCpu;
    private long _lastTicks;

    private SystemSampler(TimeSpan memoryEvery, TimeSpan sampleEvery, int? gpuDevice, Action<SystemSample> onSample, Func<int> currentStep)
    {
        _onSample = onSample;
        _currentStep = currentStep;
        _gpuDevice = gpuDevice;
        _nvml = gpuDevice is null ? null : Nvml.TryOpen();
        using (var process = Process.GetCurrentProcess())
        {
            _lastCpu = process.TotalProcessorTime;
            _lastTicks = Stopwatch.GetTimestamp();
        }
        SampleMemory();
        _memoryTimer = new Timer(_ => SampleMemory(), null, memoryEvery, memoryEvery);
        _sampleTimer = new Timer(_ => Sample(), null, sampleEvery, sampleEvery);
    }

    /// <param name="gpuDevice">NVML index of the run's GPU; null for a CPU run.</param>
    /// <param name="currentStep">The run's latest step, stored with each sample.</param>
    public static SystemSampler Start(TimeSpan sampleEvery, int? gpuDevice, Action<SystemSample> onSample, Func<int> currentStep) =>
        new(TimeSpan.FromMilliseconds(250), sampleEvery, gpuDevice, onSample, currentStep);

    /// <summary>The largest working set seen so far, bytes.</summary>
    public long PeakBytes
    {
        get
        {
            SampleMemory();
            return Interlocked.Read(ref _peak);
        }
    }

    /// <summary>Takes one sample now (the timer calls this; tests call it directly).</summary>
    public SystemSample Sample()
    {
        SampleMemory();
        TimeSpan cpu;
        using (var process = Process.GetCurrentProcess()) cpu = process.TotalProcessorTime;
        var ticks = Stopwatch.GetTimestamp();
        double percent;
        long rss;
        lock (_gate)
        {
            var wall = Stopwatch.GetElapsedTime(_lastTicks, ticks);
            percent = wall > TimeSpan.Zero ? CpuPercent(cpu - _lastCpu, wall, Environment.ProcessorCount) : 0;
            (_lastCpu, _lastTicks) = (cpu, ticks);
            rss = Interlocked.Exchange(ref _windowPeak, 0);
        }
        var sample = new SystemSample(DateTimeOffset.UtcNow, _currentStep(), percent, rss,
            _gpuDevice is { } d ? _nvml?.Read(d) : null);
        _onSample(sample);
        return sample;
    }

    /// <summary>CPU time over wall time as a share of all <paramref name="cores"/>, 0–100.</summary>
    public static double CpuPercent(TimeSpan cpu, TimeSpan wall, int cores) =>
        Math.Clamp(100.0 * cpu.TotalSeconds / (wall.TotalSeconds * Math.Max(1, cores)), 0, 100);

    private void SampleMemory()
    {
        using var process = Process.GetCurrentProcess();
        var now = process.WorkingSet64;
        Raise(ref _peak, now);
        Raise(ref _windowPeak, now);
    }

    private static void Raise(ref long target, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    public void Dispose()
    {
        _memoryTimer.Dispose();
        _sampleTimer.Dispose();
    }
}
