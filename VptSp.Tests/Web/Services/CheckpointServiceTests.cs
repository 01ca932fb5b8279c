using Microsoft.Extensions.Options;
using TorchSharp.PyBridge;
using VptSp.Core.Modeling;
using VptSp.Tests.Support;
using VptSp.Runs.Options;
using VptSp.Runs.Checkpoints;

namespace VptSp.Tests.Web.Services;

public sealed class CheckpointServiceTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("vptsp-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private CheckpointService Service() => new(Microsoft.Extensions.Options.Options.Create(new StorageOptions { DataDirectory = _data }));

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
        // the PyTorch-made fixture is width 48; the test preset is width 32
        var report = await Service().ValidateAsync(Path.Combine(TestPaths.TinyVitDir, "tiny_vit.safetensors"), "vit_test_patch8_32");
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
}
