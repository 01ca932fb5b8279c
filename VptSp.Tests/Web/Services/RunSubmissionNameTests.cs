using VptSp.Core.Training;
using VptSp.Tests.Web.Support;
using VptSp.Runs.Options;
using VptSp.Runs;

namespace VptSp.Tests.Web.Services;

/// <summary>The stored (resolved) config of a run carries the run's name, not the preset's "name: default".</summary>
public sealed class RunSubmissionNameTests
{
    private static RunSubmissionValidator Validator(string provider = StorageOptions.Sqlite)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new StorageOptions { Provider = provider, DataDirectory = Path.Combine(Path.GetTempPath(), "vptsp-no-data") });
        return new(ConfigPresets.Discover(), new InMemoryDataRoots(), options, new VptSp.Runs.Paths.PathPolicy(options),
            Microsoft.Extensions.Options.Options.Create(new WorkerOptions()));
    }

    [Fact]
    public void ADeviceOtherThanAutoCpuOrCudaIsRefusedNamingTheField()
    {
        var ex = Assert.Throws<InvalidRunInputException>(() => Validator().Resolve(new RunSubmission("emoji_pretrain", Device: "gpu0")));
        Assert.Equal("device", ex.Field);
        Assert.Contains("'gpu0' is not one of auto, cpu, cuda", ex.Message);
        Assert.Equal(RunDevices.Cuda, Validator().Resolve(new RunSubmission("emoji_pretrain", Device: " CUDA ")).Device);
        Assert.Equal(RunDevices.Auto, Validator().Resolve(new RunSubmission("emoji_pretrain")).Device);
    }

    [Fact]
    public void AutoResumeIsOnByDefaultOnlyWithThePostgresStoreWhereWorkersAreSeparateProcesses()
    {
        Assert.False(Validator().Resolve(new RunSubmission("emoji_pretrain")).AutoResume);
        Assert.True(Validator(StorageOptions.Postgres).Resolve(new RunSubmission("emoji_pretrain")).AutoResume);
        Assert.False(Validator(StorageOptions.Postgres).Resolve(new RunSubmission("emoji_pretrain", AutoResume: false)).AutoResume);
        Assert.True(Validator().Resolve(new RunSubmission("emoji_pretrain", AutoResume: true)).AutoResume);
    }

    [Fact]
    public void ResolvedConfigOfAPresetRunIsNamedAfterThePreset()
    {
        var resolved = Validator().Resolve(new RunSubmission("emoji_pretrain"));

        Assert.Equal("emoji_pretrain", resolved.Name);
        Assert.Equal("emoji_pretrain", resolved.Config.Name);
        Assert.Contains("name: emoji_pretrain", resolved.Config.ToYaml());
    }

    [Fact]
    public void ResolvedConfigCarriesTheNameTheUserGave()
    {
        var resolved = Validator().Resolve(new RunSubmission("emoji_vptsp_g", Name: "  my prompts  "));

        Assert.Equal("my prompts", resolved.Config.Name);
    }
}
