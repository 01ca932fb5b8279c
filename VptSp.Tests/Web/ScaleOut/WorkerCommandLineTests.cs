using VptSp.Tests.Web.Support;
using VptSp.Worker;

namespace VptSp.Tests.Web.ScaleOut;

public sealed class WorkerCommandLineTests
{
    [Fact]
    public void GpuCpuAndNameBecomeSettingsAndEverythingElseStaysConfiguration()
    {
        var line = WorkerCommandLine.Parse(["--gpu", "1", "--name", "rack2-a", "--Workers:LeaseSeconds=20"]);
        Assert.Equal("cuda:1", line.Settings["Training:Device"]);
        Assert.Equal("rack2-a", line.Settings["Workers:Name"]);
        Assert.Equal(["--Workers:LeaseSeconds=20"], line.Rest);
        Assert.Equal("cpu", WorkerCommandLine.Parse(["--cpu"]).Settings["Training:Device"]);
    }

    [Theory]
    [InlineData("--gpu", "x", "--gpu: 'x' is not a GPU index")]
    [InlineData("--gpu", null, "--gpu needs a value")]
    [InlineData("--name", null, "--name needs a value")]
    public void ABadOptionIsAnErrorNamingIt(string option, string? value, string message)
    {
        string[] args = value is null ? [option] : [option, value];
        var ex = Assert.Throws<ArgumentException>(() => WorkerCommandLine.Parse(args));
        Assert.StartsWith(message, ex.Message);
    }

    [Fact]
    public async Task AWorkerOnTheSqliteStoreRefusesToStartWithOneLineAndExitCodeOne()
    {
        var dir = Directory.CreateTempSubdirectory("vptsp-worker-sqlite-").FullName;
        try
        {
            await using var worker = WorkerProcess.Start("w", new Dictionary<string, string> { ["Storage__DataDirectory"] = dir });
            var (code, output) = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(1, code);
            var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("vptsp-worker:"));
            Assert.Contains("a worker needs the shared PostgreSQL store (Storage:Provider=postgres", line);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
