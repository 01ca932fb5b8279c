using VptSp.Core.Training;
using VptSp.Runs;
using VptSp.Runs.SystemMetrics;
using VptSp.Web.Components.Pages.Runs;

namespace VptSp.Tests.Web.Services;

/// <summary>The per-run system metrics: the CPU share, which NVML device a run's GPU is, and the run page's summary line.</summary>
public sealed class SystemMetricsTests
{
    [Theory]
    [InlineData(2.0, 2.0, 2, 50.0)]   // one core busy of two
    [InlineData(8.0, 2.0, 4, 100.0)]  // every core busy
    [InlineData(0.5, 2.0, 1, 25.0)]
    [InlineData(9.0, 2.0, 2, 100.0)]  // clock skew above 100 % is clamped
    public void CpuPercentIsCpuTimeOverWallTimeAcrossAllCores(double cpuSeconds, double wallSeconds, int cores, double expected) =>
        Assert.Equal(expected, SystemSampler.CpuPercent(TimeSpan.FromSeconds(cpuSeconds), TimeSpan.FromSeconds(wallSeconds), cores), 9);

    [Theory]
    [InlineData("cuda", 0)]
    [InlineData("cuda:1", 1)]
    [InlineData("CUDA:3", 3)]
    [InlineData("cpu", null)]
    [InlineData(null, null)]
    [InlineData("cudax", null)]
    public void TheEngineDeviceStringNamesTheCudaIndex(string? device, int? expected) => Assert.Equal(expected, RunDevices.CudaIndex(device));

    [Theory]
    [InlineData(0, null, 0)]
    [InlineData(1, "", 1)]
    [InlineData(1, "2,3", 3)]
    [InlineData(0, " 5 , 6", 5)]
    [InlineData(2, "2,3", null)]        // no such visible device
    [InlineData(0, "GPU-8a1b…", null)]   // UUIDs are not mapped
    public void CudaVisibleDevicesRenumbersDevicesForNvml(int cuda, string? visible, int? expected) =>
        Assert.Equal(expected, Nvml.NvmlIndex(cuda, visible));

    private static SystemSample At(int seconds, double cpu, long rss, GpuReading? gpu = null) =>
        new(DateTimeOffset.UnixEpoch.AddSeconds(seconds), seconds, cpu, rss, gpu);

    [Fact]
    public void TheSummaryGivesPeaksAndMeansAndSaysAnAbsentGpuIsNotMeasured()
    {
        var cpuOnly = new[] { At(0, 40, 1_000_000_000), At(2, 60, 1_500_000_000), At(4, 80, 1_200_000_000) };
        var line = SystemSummary.Line(cpuOnly, RunState.Completed);
        Assert.StartsWith($"peak RSS 1.50 GB · mean CPU 60 % of {Environment.ProcessorCount} cores · GPU: not measured", line);
        Assert.EndsWith("(3 samples)", line);

        var gpu = new[]
        {
            At(0, 10, 2_000_000_000, new GpuReading(1, 90, 30_000_000_000, 80_000_000_000, 300)),
            At(2, 12, 2_000_000_000, new GpuReading(1, 70, 35_000_000_000, 80_000_000_000, 350.4)),
        };
        Assert.Contains("GPU 1: mean 80 % busy, peak memory 35.00 of 80 GB · peak power 350 W", SystemSummary.Line(gpu, RunState.Running));
        Assert.DoesNotContain("power", SystemSummary.Line([At(0, 10, 1, new GpuReading(0, 50, 1, 2, null))], RunState.Running));

        Assert.Equal("System metrics: waiting for the first sample…", SystemSummary.Line([], RunState.Running));
        Assert.Equal("System metrics: none recorded for this run", SystemSummary.Line([], RunState.Completed));
    }

    [Fact]
    public void ASampleTakenNowHasThisProcesssMemoryAndNoGpuOnACpuRun()
    {
        var seen = new List<SystemSample>();
        using var sampler = SystemSampler.Start(TimeSpan.FromHours(1), gpuDevice: null, seen.Add, () => 7);
        var busyUntil = DateTime.UtcNow.AddMilliseconds(300);
        while (DateTime.UtcNow < busyUntil) { } // burn CPU so the share is above zero
        var sample = sampler.Sample();
        Assert.Same(sample, Assert.Single(seen));
        Assert.Equal(7, sample.Step);
        Assert.InRange(sample.CpuPercent, 100.0 / Environment.ProcessorCount * 0.3, 100);
        Assert.InRange(sample.RssBytes, 20_000_000, sampler.PeakBytes);
        Assert.Null(sample.Gpu);
    }
}
