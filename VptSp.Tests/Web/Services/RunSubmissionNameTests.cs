using VptSp.Core.Training;
using VptSp.Tests.Web.Support;
using VptSp.Web.Services;
using VptSp.Web.Services.Runs;

namespace VptSp.Tests.Web.Services;

/// <summary>The stored (resolved) config of a run carries the run's name, not the preset's "name: default".</summary>
public sealed class RunSubmissionNameTests
{
    private static RunSubmissionValidator Validator() => new(ConfigPresets.Discover(), new InMemoryDataRoots());

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
