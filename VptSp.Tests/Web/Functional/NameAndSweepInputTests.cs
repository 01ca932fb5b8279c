using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using VptSp.Core.Training;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Web.Functional;

/// <summary>Issue #22: run, sweep and tag names through the one check; sweep sizes and unknown keys that cannot hang or wrap.</summary>
public sealed class NameAndSweepInputTests : IAsyncLifetime
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

    private async Task<string> Refused(string path, object body, string field)
    {
        var response = await _http.PostAsJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = await response.ProblemAsync();
        Assert.Equal(field, problem.RootElement.GetProperty("field").GetString());
        return problem.RootElement.GetProperty("detail").GetString()!;
    }

    [Theory]
    [InlineData("two\nlines", "U+000A")]
    [InlineData("red \u001b[31mtext", "U+001B")]
    [InlineData("tab\there", "U+0009")]
    [InlineData("evil\u202Egnp.exe", "U+202E")]
    [InlineData("isolated\u2066x\u2069", "U+2066")]
    public async Task RunSweepAndTagNamesWithControlOrBidiCharactersAreRefusedNamingTheCharacter(string name, string code)
    {
        Assert.Contains(code, await Refused("/api/runs", new { config = "emoji_vptsp_g", name }, "name"));
        Assert.Contains(code, await Refused("/api/runs", new { config = "emoji_vptsp_g", tags = new[] { "ok", name } }, "tags"));
        Assert.Contains(code, await Refused("/api/sweeps", new { config = "emoji_vptsp_g", name, parameters = new { lr = new[] { 0.01 } } }, "name"));
        Assert.Empty(JsonNode.Parse(await _http.GetStringAsync("/api/runs"))!.AsArray());
    }

    [Fact]
    public async Task TooLongNamesAreRefusedWithTheBound()
    {
        Assert.Contains("longer than 200 characters", await Refused("/api/runs", new { config = "emoji_vptsp_g", name = new string('n', 201) }, "name"));
        Assert.Contains("longer than 40 characters", await Refused("/api/runs", new { config = "emoji_vptsp_g", tags = new[] { new string('t', 41) } }, "tags"));
        Assert.Contains("longer than 120 characters",
            await Refused("/api/sweeps", new { config = "emoji_vptsp_g", name = new string('s', 121), parameters = new { lr = new[] { 0.01 } } }, "name"));
    }

    [Fact]
    public async Task ANameWithYamlIndicatorsQuotesAndAccentsIsAccepted()
    {
        const string name = "*x @y -z: #w 'q\" é";
        var created = await _http.SubmitAsync(new { config = "emoji_vptsp_g", name, tags = new[] { "-t: #1" } });
        var run = await _http.GetRunAsync(created["id"]!.GetValue<long>());
        Assert.Equal(name, run["run"]!["name"]!.GetValue<string>());
        Assert.Equal(["-t: #1"], run["run"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(name, TrainingConfigYaml.Parse(run["configYaml"]!.GetValue<string>()).Name);
    }

    [Fact]
    public async Task ASweepOfYamlTextWithoutANameGetsAShortGeneratedName()
    {
        var yaml = "dataset: emoji\nn_epochs: 1\nbatch_size: 16\n";
        var response = await _http.PostAsJsonAsync("/api/sweeps", new { config = yaml, parameters = new { lr = new[] { 0.01, 0.02 } } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var sweeps = JsonNode.Parse(await _http.GetStringAsync("/api/sweeps"))!.AsArray();
        Assert.Equal("yaml grid sweep over lr", sweeps.Single()!["name"]!.GetValue<string>());

        var preset = await _http.PostAsJsonAsync("/api/sweeps", new { config = "emoji_vptsp_g", parameters = new { lr = new[] { 0.01 }, num_prompt = new[] { 1 } } });
        Assert.Equal(HttpStatusCode.Accepted, preset.StatusCode);
        var names = JsonNode.Parse(await _http.GetStringAsync("/api/sweeps"))!.AsArray().Select(s => s!["name"]!.GetValue<string>());
        Assert.Contains("emoji_vptsp_g grid sweep over lr, num_prompt", names);
    }

    [Fact]
    public async Task AGridOf2To66CombinationsIsRefusedNotWrappedToAnEmptySweep()
    {
        // 11 keys × 64 values = 2^66 combinations: a long product wraps to exactly 0.
        var keys = ConfigKeys.All.Where(k => k.Name != "seed").Take(11).Select(k => k.Name).ToList();
        var parameters = keys.ToDictionary(k => k, _ => Enumerable.Range(1, 64).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        var response = await _http.PostAsJsonAsync("/api/sweeps", new { config = "emoji_vptsp_g", parameters });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = await response.ProblemAsync();
        Assert.Contains("the grid has 73786976294838206464 combinations, more than 500", problem.RootElement.GetProperty("detail").GetString());
        Assert.Empty(JsonNode.Parse(await _http.GetStringAsync("/api/sweeps"))!.AsArray());
    }

    [Fact]
    public async Task ARangeWithATinyStepIsRefusedNamingTheKey()
    {
        var response = await _http.PostAsync("/api/sweeps", new StringContent(
            """{"config":"emoji_vptsp_g","parameters":{"proxy_bias_ratio":{"min":0,"max":1,"step":1e-300}}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = await response.ProblemAsync();
        Assert.Equal("proxy_bias_ratio", problem.RootElement.GetProperty("key").GetString());
        Assert.Contains("gives more than 100 values", problem.RootElement.GetProperty("detail").GetString());
        Assert.Empty(JsonNode.Parse(await _http.GetStringAsync("/api/sweeps"))!.AsArray());
    }

    [Fact]
    public async Task AHugeUnknownKeyIsRefusedWithoutEchoingItWhole()
    {
        var key = new string('k', 240_000);
        var response = await _http.PostAsJsonAsync("/api/runs", new { config = "emoji_vptsp_g", overrides = new Dictionary<string, string> { [key] = "1" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Length < 2_000, $"the 400 is {body.Length} characters long");
        Assert.Contains("unknown key", body);
    }

    // names YAML would read as null, booleans or numbers read back from the run's config.yaml as written
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
