using VptSp.Core.Runtime;

namespace VptSp.Tests.Core.Runtime;

public class NativeAllocatorTests
{
    [SkippableFact]
    public void GlibcAcceptsTheThresholds()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "mallopt is glibc's (Linux)");
        // glibc's mallopt refuses an mmap threshold above HEAP_MAX_SIZE / 2 (32 MB on 64-bit) and returns 0 on any refusal
        Assert.True(NativeAllocator.TryApply());
        Assert.Equal(32 * 1024 * 1024, NativeAllocator.MmapThresholdBytes);
    }

    [Fact]
    public void TheSettingIsOptIn()
    {
        // the test host does not set the variable: building a ViT leaves glibc's defaults alone
        Assert.Null(Environment.GetEnvironmentVariable(NativeAllocator.Variable));
        Assert.False(NativeAllocator.EnsureConfigured());
    }
}
