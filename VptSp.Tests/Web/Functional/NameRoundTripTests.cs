using VptSp.Core.Training;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Web.Functional;

/// <summary>Issue #22: names YAML would read as null, booleans or numbers read back from the run's config.yaml as written.</summary>
public sealed class NameRoundTripTests : IAsyncLifetime
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private VptSpWebFactory _factory = null!;
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _factory = new VptSpWebFactory(_dataDir, new ScriptedTrainingEngine());
        _http = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("Null")]
    [InlineData("NULL")]
    [InlineData("true")]
    [InlineData("yes")]
    [InlineData("off")]
    [InlineData("123")]
    [InlineData("1e3")]
    [InlineData("0x1F")]
    [InlineData(".inf")]
    public async Task AnAcceptedRunNameReadsBackFromItsConfigYaml(string name)
    {
        var created = await _http.SubmitAsync(new { config = "emoji_vptsp_g", name });
        var run = await _http.GetRunAsync(created["id"]!.GetValue<long>());
        Assert.Equal(name, run["run"]!["name"]!.GetValue<string>());
        Assert.Equal(name, TrainingConfigYaml.Parse(run["configYaml"]!.GetValue<string>()).Name);
    }
}
