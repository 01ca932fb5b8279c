using System.Net;
using VptSp.Core.Training;
using VptSp.Tests.Support;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Web.Functional;

/// <summary>The web app with its real engine (VptSp.Core's Trainer) on a real tiny dataset and a real SQLite file.</summary>
public sealed class RealTrainingTests : IAsyncLifetime
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private readonly SyntheticDataset _data = new();
    private VptSpWebFactory _factory = null!;
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        // system samples every 0.1 s, so even a tiny run records several
        _factory = new VptSpWebFactory(_dataDir, engine: null, new Dictionary<string, string?> { ["Storage:SystemSampleSeconds"] = "0.1" });
        _http = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
        _data.Dispose();
    }

    private Task<System.Text.Json.Nodes.JsonObject> SubmitTiny(string method, int epochs, string name) =>
        _http.SubmitAsync(new
        {
            config = SyntheticDataset.TinyConfig(method).ToYaml(),
            overrides = new Dictionary<string, string> { ["n_epochs"] = epochs.ToString(), ["lr_cosine_length"] = epochs.ToString() },
            sourcePath = _data.Root,
            name,
        });

    /// <summary>Real training on a shared 2-core machine: minutes, not the API tests' seconds.</summary>
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    private Task<string> WaitFor(long id, params string[] statuses) =>
        Eventually.UntilAsync(() => _http.StatusOfAsync(id), statuses.Contains, $"run {id} to become {string.Join(" or ", statuses)}", Long);

    [Fact]
    public async Task ARunWhoseModelCannotBeBuiltFailsWithoutLeavingARunFolder()
    {
        // the fixture ViT is 48 wide; the tiny config's vit_test_patch8_32 is not
        var submitted = await _http.SubmitAsync(new
        {
            config = SyntheticDataset.TinyConfig("vpt").ToYaml(),
            overrides = new Dictionary<string, string> { ["backbone_checkpoint"] = Path.Combine(TestPaths.TinyVitDir, "tiny_vit.safetensors") },
            sourcePath = _data.Root,
            name = "wrong-shape",
        });
        var id = submitted["id"]!.GetValue<long>();
        Assert.Equal("failed", await WaitFor(id, "failed", "completed"));
        var run = await _http.GetRunAsync(id);
        var error = run["error"]!.GetValue<string>();
        Assert.Contains("does not fit the model", error);
        Assert.DoesNotContain("Exception", error); // a sentence for users, not a type name
        Assert.False(Directory.Exists(Path.Combine(_dataDir, "runs", id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task ARealTinyRunIsFollowedOverSignalRUntilCompletedWithItsMetricsStored()
    {
        await using var hub = await HubClient.ConnectAsync(_factory.Server);
        var submitted = await SubmitTiny("vptsp_g", 2, "real");
        var id = submitted["id"]!.GetValue<long>();
        await hub.SubscribeAsync(id);
        Assert.Equal("completed", await hub.Finished.WithTimeout("the real run to complete", Long));

        var metrics = await _http.GetMetricsAsync(id);
        Assert.Equal(Enumerable.Range(1, 6).ToArray(), RunsClient.StepNumbers(metrics));
        Assert.Equal(new[] { 1, 2 }, RunsClient.EpochNumbers(metrics));
        var r1 = metrics["epochs"]![1]!["recall@1"]!.GetValue<double>();
        Assert.True(r1 > 0.5, $"recall@1 {r1} does not beat chance (0.22) clearly");
        Assert.NotEmpty(hub.Of("EpochCompleted"));

        var run = await _http.GetRunAsync(id);
        Assert.Equal("completed", run["status"]!.GetValue<string>());
        Assert.Equal("vptsp_g", run["run"]!["method"]!.GetValue<string>());
        Assert.True(run["run"]!["trainableParameters"]!.GetValue<long>() > 0);
        // The log tail is the engine's own log.txt, written once.
        var logTail = run["logTail"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        Assert.Single(logTail, l => l.Contains("completed; best epoch"));
        Assert.DoesNotContain("log.txt", run["artefacts"]!.AsArray().Select(a => a!.GetValue<string>()));

        // System metrics were sampled while it trained: this process's CPU share and memory, no GPU on this machine.
        var system = await _http.GetSystemSamplesAsync(id);
        Assert.NotEmpty(system);
        foreach (var sample in system)
        {
            Assert.InRange(sample!["cpuPercent"]!.GetValue<double>(), 0, 100);
            Assert.True(sample["rssBytes"]!.GetValue<long>() > 50_000_000, "a .NET process with libtorch loaded uses more than 50 MB");
            Assert.InRange(sample["step"]!.GetValue<int>(), 0, 6);
            Assert.Null(sample["gpu"]); // not measured on a CPU run: absent, not zero
        }
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/runs/999999/system")).StatusCode);

        // The run's files download by their listed names only.
        Assert.Contains("dataset: folder", await _http.GetStringAsync($"/api/runs/{id}/artefacts/config.yaml"));
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync($"/api/runs/{id}/artefacts/artefacts/manifest.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/api/runs/{id}/artefacts/..%2F..%2Fvptsp.db")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/api/runs/{id}/artefacts/nope.txt")).StatusCode);
    }

    [Fact]
    public async Task ARealRunIsCancelledAndResumedIntoOneGaplessHistory()
    {
        // Long enough (20 epochs × 3 steps) that the cancel lands mid-run even on an idle machine.
        var submitted = await SubmitTiny("vpt", 20, "cancel-resume");
        var id = submitted["id"]!.GetValue<long>();
        await Eventually.UntilAsync(async () => RunsClient.StepNumbers(await _http.GetMetricsAsync(id)).Length, n => n >= 2, "two steps recorded", Long);
        var cancel = await _http.PostAsync($"/api/runs/{id}/cancel", null);
        Assert.True(cancel.StatusCode == HttpStatusCode.Accepted, await cancel.Content.ReadAsStringAsync() + (await _http.GetRunAsync(id)).ToJsonString());
        Assert.Equal("cancelled", await WaitFor(id, "cancelled", "completed", "failed"));

        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync($"/api/runs/{id}/resume", null)).StatusCode);
        Assert.Equal("completed", await WaitFor(id, "completed", "failed"));
        var metrics = await _http.GetMetricsAsync(id);
        Assert.Equal(Enumerable.Range(1, 60).ToArray(), RunsClient.StepNumbers(metrics));
        Assert.Equal(Enumerable.Range(1, 20).ToArray(), RunsClient.EpochNumbers(metrics));
    }

    [Fact]
    public async Task ARunOnAMissingDatasetFailsWithItsErrorAndTheServerKeepsServing()
    {
        var submitted = await _http.SubmitAsync(new { config = "cub200_small", overrides = new { n_epochs = 1 }, sourcePath = _data.Root });
        var id = submitted["id"]!.GetValue<long>();
        Assert.Equal("failed", await WaitFor(id, "failed", "completed"));
        Assert.Contains("cub200", (await _http.GetRunAsync(id))["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/api/runs")).StatusCode);
    }
}
