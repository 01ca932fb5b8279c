using VptSp.Core.Runtime;

namespace VptSp.Tests.Core.Runtime;

public class NativeAllocatorTests
{
    [Fact]
    public void GlibcAcceptsTheThresholdsOnLinux()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("VPTSP_MALLOC_TUNING") == "0") return;
        // glibc's mallopt refuses an mmap threshold above HEAP_MAX_SIZE / 2 (32 MB on 64-bit) and returns 0 on any refusal
        Assert.True(NativeAllocator.EnsureConfigured());
        Assert.Equal(32 * 1024 * 1024, NativeAllocator.MmapThresholdBytes);
    }
}
