using Microsoft.Extensions.Options;
using TorchSharp.PyBridge;
using VptSp.Core.Modeling;
using VptSp.Tests.Support;
using VptSp.Runs.Options;
using VptSp.Runs.Checkpoints;
using VptSp.Runs.Paths;

namespace VptSp.Tests.Web.Services;

public sealed class CheckpointServiceTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("vptsp-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private CheckpointService Service(long quota = 20L << 30)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new StorageOptions { DataDirectory = _data, CheckpointQuotaBytes = quota });
        return new(options, new PathPolicy(options));
    }

    [Fact]
    public async Task AnUploadedCheckpointOfThePresetsShapeValidatesAndIsListed()
    {
        var source = Path.Combine(_data, "made.safetensors");
        using (var vit = new VisionTransformer(VitPresets.Get("vit_test_patch8_32")))
            vit.save_safetensors(source);
        var service = Service();
        await using (var stream = File.OpenRead(source))
            Assert.Equal("test_vit.safetensors", await service.SaveUploadAsync("test_vit.safetensors", stream));

        var report = await service.ValidateAsync("test_vit.safetensors", "vit_test_patch8_32");
        Assert.True(report.Valid, report.Error);
        Assert.True(report.Loaded > 0);
        Assert.Equal(64, report.Sha256!.Length);
        Assert.Contains(service.List(), f => f.Name == "test_vit.safetensors");
    }

    [Fact]
    public async Task ACheckpointOfAnotherShapeGetsAReportNamingTheBadKeys()
    {
        // the PyTorch-made fixture is width 48; the test preset is width 32 (a typed path must lie under the backbone roots)
        Directory.CreateDirectory(Path.Combine(_data, "checkpoints"));
        File.Copy(Path.Combine(TestPaths.TinyVitDir, "tiny_vit.safetensors"), Path.Combine(_data, "checkpoints", "tiny_vit.safetensors"));
        var report = await Service().ValidateAsync(Path.Combine(_data, "checkpoints", "tiny_vit.safetensors"), "vit_test_patch8_32");
        Assert.False(report.Valid);
        Assert.Contains("cls_token", report.Error);
    }

    [Theory]
    [InlineData("../evil.safetensors")]
    [InlineData("notes.txt")]
    [InlineData(".hidden.pth")]
    public async Task UploadNamesThatAreNotPlainCheckpointFilesAreRefused(string name)
    {
        await using var stream = new MemoryStream([1, 2, 3]);
        if (name.StartsWith("../", StringComparison.Ordinal))
        {
            // path parts are dropped: the file lands in the checkpoints folder under its own name
            Assert.Equal("evil.safetensors", await Service().SaveUploadAsync(name, stream));
            Assert.False(File.Exists(Path.Combine(_data, "evil.safetensors")));
            return;
        }
        await Assert.ThrowsAsync<ArgumentException>(() => Service().SaveUploadAsync(name, stream));
    }

    [Fact]
    public async Task AnUploadUnderAnExistingNameIsRefusedAndTheFileKept()
    {
        var service = Service();
        await using (var first = new MemoryStream([1, 2, 3]))
            await service.SaveUploadAsync("a.safetensors", first);
        await using var second = new MemoryStream([9, 9]);
        var ex = await Assert.ThrowsAsync<CheckpointExistsException>(() => service.SaveUploadAsync("a.safetensors", second));
        Assert.Contains("'a.safetensors' exists already", ex.Message);
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(Path.Combine(service.Directory, "a.safetensors")));
        Assert.Equal(["a.safetensors"], Directory.GetFiles(service.Directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task AnUploadThatWouldPassTheQuotaIsRefusedAndLeavesNothing()
    {
        var service = Service(quota: 10);
        await using (var first = new MemoryStream(new byte[6]))
            await service.SaveUploadAsync("a.safetensors", first); // 6 of 10 bytes
        await using var second = new MemoryStream(new byte[5]); // 6 + 5 = 11 > 10
        var ex = await Assert.ThrowsAsync<CheckpointQuotaException>(() => service.SaveUploadAsync("b.safetensors", second));
        Assert.Equal(10, ex.QuotaBytes);
        Assert.Equal(["a.safetensors"], Directory.GetFiles(service.Directory).Select(Path.GetFileName));
        await using var third = new MemoryStream(new byte[4]); // 6 + 4 = 10: at the quota is allowed
        Assert.Equal("c.safetensors", await service.SaveUploadAsync("c.safetensors", third));
    }
}
