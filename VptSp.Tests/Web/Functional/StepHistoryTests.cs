using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Web.Functional;

/// <summary>Long runs keep a thinned step history.</summary>
public sealed class StepHistoryTests : IAsyncLifetime
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private VptSpWebFactory _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new VptSpWebFactory(_dataDir, new ScriptedTrainingEngine { StepsPerEpoch = 4 }, new Dictionary<string, string?>
        {
            ["Storage:StepSamplesKeepAll"] = "3",
            ["Storage:StepSamplesEvery"] = "5",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
    }

    [Fact]
    public async Task StepsPastTheKeepAllLimitAreThinnedToEveryKthAndEpochEnds()
    {
        var http = _factory.CreateClient();
        var id = await http.SubmitDemoAsync(epochs: 3);
        await http.WaitForStatusAsync(id, "completed");
        var metrics = await http.GetMetricsAsync(id);
        Assert.Equal([1, 2, 3, 4, 5, 8, 10, 12], RunsClient.StepNumbers(metrics));
        Assert.Equal([1, 2, 3], RunsClient.EpochNumbers(metrics));
    }
}
