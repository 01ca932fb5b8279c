using Microsoft.Extensions.DependencyInjection;
using VptSp.Runs;
using VptSp.Tests.Web.Support;
using VptSp.Web.Services.Launch;

namespace VptSp.Tests.Web.Services;

/// <summary>"Launch the quick demo" twice on one server: each launch pre-trains into its own backbone file and trains on it.</summary>
public sealed class DemoLaunchTests : IDisposable
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();

    public void Dispose() => VptSpWebFactory.DeleteDataDirectory(_dataDir);

    [Fact]
    public async Task ASecondLaunchAfterTheFirstExportedItsBackboneIsQueuedOnANewFile()
    {
        await using var factory = new VptSpWebFactory(_dataDir, new ScriptedTrainingEngine());
        _ = factory.CreateClient();
        var demo = factory.Services.GetRequiredService<DemoLaunchService>();
        var runs = factory.Services.GetRequiredService<IRunService>();

        await demo.LaunchAsync(quick: true);
        var first = await PairAsync(runs);
        // the first pre-training completed and exported its backbone: that file now exists and must not be replaced
        var exported = Path.Combine(_dataDir, first.Pre.ExportBackbone);
        Directory.CreateDirectory(Path.GetDirectoryName(exported)!);
        await File.WriteAllTextAsync(exported, "the first launch's backbone");
        await Task.Delay(5); // the next launch's name carries the time to the millisecond

        await demo.LaunchAsync(quick: true);
        var second = await PairAsync(runs);

        Assert.StartsWith("backbones/emoji_vit_quick-", first.Pre.ExportBackbone);
        Assert.NotEqual(first.Pre.ExportBackbone, second.Pre.ExportBackbone);
        Assert.Equal(first.Pre.ExportBackbone, first.Method.BackboneCheckpoint);
        Assert.Equal(second.Pre.ExportBackbone, second.Method.BackboneCheckpoint);
        Assert.Equal("the first launch's backbone", await File.ReadAllTextAsync(exported));
    }

    private static async Task<(VptSp.Core.Training.TrainingConfig Pre, VptSp.Core.Training.TrainingConfig Method)> PairAsync(IRunService runs)
    {
        var ids = (await runs.ListAsync(new RunFilter(IncludeArchived: true))).Select(r => r.Id).OrderDescending().Take(2).ToArray();
        return ((await runs.GetAsync(ids[1])).Config, (await runs.GetAsync(ids[0])).Config);
    }
}
