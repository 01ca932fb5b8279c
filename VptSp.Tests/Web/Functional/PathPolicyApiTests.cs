using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using VptSp.Core.Training;
using VptSp.Runs.Checkpoints;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Web.Functional;

/// <summary>Issue #22: every path an API user names goes through the one path policy (datasets, backbones, exports).</summary>
public sealed class PathPolicyApiTests : IAsyncLifetime
{
    private const string Secret = "SECRET-KEY-BYTES-0123456789";
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private readonly string _outside = Directory.CreateTempSubdirectory("vptsp-outside-").FullName;
    private VptSpWebFactory _factory = null!;
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        File.WriteAllText(Path.Combine(_outside, "id_rsa.bin"), Secret);
        _factory = new VptSpWebFactory(_dataDir, new ScriptedTrainingEngine());
        _http = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
        Directory.Delete(_outside, recursive: true);
    }

    private async Task<(JsonObject Problem, string Body)> RefusedAsync(object body)
    {
        var response = await _http.PostAsJsonAsync("/api/runs", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        var problem = JsonNode.Parse(text)!.AsObject();
        problem.Remove("traceId");
        Assert.DoesNotContain(Secret, text);
        return (problem, problem.ToJsonString());
    }

    [Fact]
    public async Task ADatasetOutsideTheDataRootsGetsTheSameAnswerWhetherOrNotItExists()
    {
        var existing = await RefusedAsync(new { config = "emoji_vptsp_g", sourcePath = "/etc" });
        var missing = await RefusedAsync(new { config = "emoji_vptsp_g", sourcePath = "/no/such/folder/anywhere" });
        var outside = await RefusedAsync(new { config = "emoji_vptsp_g", sourcePath = _outside });
        Assert.Equal("sourcePath", existing.Problem["field"]!.GetValue<string>());
        Assert.Equal(existing.Body, missing.Body);
        Assert.Equal(existing.Body, outside.Body);
        Assert.Empty(JsonNode.Parse(await _http.GetStringAsync("/api/runs"))!.AsArray());
    }

    [Fact]
    public async Task ADatasetFolderReachedThroughASymlinkInsideADataRootIsRefused()
    {
        var demo = Path.Combine(_dataDir, "demo");
        Directory.CreateDirectory(demo);
        Directory.CreateSymbolicLink(Path.Combine(demo, "escape"), _outside);
        var viaLink = await RefusedAsync(new { config = "emoji_vptsp_g", sourcePath = Path.Combine(demo, "escape") });
        var viaDots = await RefusedAsync(new { config = "emoji_vptsp_g", sourcePath = demo + "/../../../../etc" });
        var missing = await RefusedAsync(new { config = "emoji_vptsp_g", sourcePath = "/no/such/folder/anywhere" });
        Assert.Equal(missing.Body, viaLink.Body);
        Assert.Equal(missing.Body, viaDots.Body);
    }

    [Fact]
    public async Task BackbonePathsOutsideTheRootsAreRefusedWithoutQuotingTheFile()
    {
        var checkpoints = Path.Combine(_dataDir, "checkpoints");
        Directory.CreateDirectory(checkpoints);
        File.CreateSymbolicLink(Path.Combine(checkpoints, "link.safetensors"), Path.Combine(_outside, "id_rsa.bin"));
        string[] values =
        [
            Path.Combine(_outside, "id_rsa.bin"),
            "../../../../../../../../" + _outside.TrimStart('/') + "/id_rsa.bin",
            "checkpoints/link.safetensors",
            Path.Combine(_outside, "no_such.bin"),
        ];
        var bodies = new List<string>();
        foreach (var value in values)
        {
            var (problem, body) = await RefusedAsync(new { config = "emoji_vptsp_g", overrides = new Dictionary<string, string> { ["backbone_checkpoint"] = value } });
            Assert.Equal("backbone_checkpoint", problem["key"]!.GetValue<string>());
            bodies.Add(body);
        }
        Assert.Single(bodies.Distinct()); // an existing and a missing file outside the roots read alike
    }

    [Theory]
    [InlineData("random")]
    [InlineData("vit_small_patch16_224.augreg_in21k")]
    [InlineData("backbones/emoji_vit.safetensors")]
    [InlineData("checkpoints/not_uploaded_yet.safetensors")]
    public async Task RandomModelNamesAndPathsUnderTheRootsPassThePolicy(string value)
    {
        var created = await _http.SubmitAsync(new { config = "emoji_vptsp_g", overrides = new Dictionary<string, string> { ["backbone_checkpoint"] = value } });
        var run = await _http.GetRunAsync(created["id"]!.GetValue<long>());
        Assert.Equal(value, TrainingConfigYaml.Parse(run["configYaml"]!.GetValue<string>()).BackboneCheckpoint);
    }

    [Theory]
    [InlineData("../../vptsp.db")]
    [InlineData("/tmp/elsewhere.safetensors")]
    [InlineData("backbones/../vptsp.db")]
    [InlineData("sub/x.safetensors")]
    [InlineData("vptsp.db")]
    public async Task ExportsOutsideTheBackbonesFolderAreRefused(string value)
    {
        var (problem, _) = await RefusedAsync(new { config = "emoji_pretrain", overrides = new Dictionary<string, string> { ["export_backbone"] = value } });
        Assert.Equal("export_backbone", problem["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnExportIsWrittenToTheBackbonesFolderAndNeverReplacesAFile()
    {
        var created = await _http.SubmitAsync(new { config = "emoji_pretrain", overrides = new Dictionary<string, string> { ["export_backbone"] = "mine.safetensors" } });
        var run = await _http.GetRunAsync(created["id"]!.GetValue<long>());
        Assert.Equal("backbones/mine.safetensors", TrainingConfigYaml.Parse(run["configYaml"]!.GetValue<string>()).ExportBackbone);

        Directory.CreateDirectory(Path.Combine(_dataDir, "backbones"));
        await File.WriteAllTextAsync(Path.Combine(_dataDir, "backbones", "taken.safetensors"), "x");
        var (problem, _) = await RefusedAsync(new { config = "emoji_pretrain", overrides = new Dictionary<string, string> { ["export_backbone"] = "taken.safetensors" } });
        Assert.Contains("backbones/taken.safetensors exists already", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheCheckpointsPagesValidateRefusesATypedPathOutsideTheRootsAlike()
    {
        var checkpoints = _factory.Services.GetRequiredService<CheckpointService>();
        var existing = await Assert.ThrowsAsync<ConfigException>(() => checkpoints.ValidateAsync(Path.Combine(_outside, "id_rsa.bin"), "vit_test_patch8_32"));
        var missing = await Assert.ThrowsAsync<ConfigException>(() => checkpoints.ValidateAsync(Path.Combine(_outside, "none.bin"), "vit_test_patch8_32"));
        var dots = await Assert.ThrowsAsync<ConfigException>(() => checkpoints.ValidateAsync("../../../../../../" + _outside.TrimStart('/') + "/id_rsa.bin", "vit_test_patch8_32"));
        Assert.Equal(existing.Message, missing.Message);
        Assert.Equal(existing.Message, dots.Message);
        Assert.DoesNotContain(Secret, existing.Message);
    }
}

/// <summary>Issue #22: bounded configs and the run memory estimate against a worker's memory (Workers:MemoryLimitMb), over the API.</summary>
public sealed class BoundedRunApiTests : IAsyncLifetime
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private VptSpWebFactory _factory = null!;
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _factory = new VptSpWebFactory(_dataDir, new ScriptedTrainingEngine(), new Dictionary<string, string?> { ["Workers:MemoryLimitMb"] = "4000" });
        _http = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
    }

    private async Task<JsonObject> RefusedAsync(string key, string value)
    {
        var response = await _http.PostAsJsonAsync("/api/runs", new { config = "emoji_vptsp_g", overrides = new Dictionary<string, string> { [key] = value } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    [Theory]
    [InlineData("n_epochs", "2147483647")]
    [InlineData("batch_size", "1073741824")]
    [InlineData("image_cache_mb", "1073741824")]
    [InlineData("num_prompt", "1073741824")]
    [InlineData("kernels", "1073741824")]
    public async Task AHugeValueIsRefusedNamingTheKey(string key, string value)
    {
        var problem = await RefusedAsync(key, value);
        Assert.Equal(key, problem["key"]!.GetValue<string>());
        Assert.Contains("must be at most", problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("batch_size", "4096")]      // within the bound; activations ≈ 27 GB
    [InlineData("image_cache_mb", "8000")]  // within the bound; the cache alone passes 4000 MB
    public async Task ARunEstimatedAboveTheWorkersMemoryIsRefusedWithTheEstimate(string key, string value)
    {
        var problem = await RefusedAsync(key, value);
        Assert.Equal(key, problem["key"]!.GetValue<string>());
        var detail = problem["detail"]!.GetValue<string>();
        Assert.Matches(@"the run needs about \d+ MB", detail);
        Assert.Contains("more than the worker's 4000 MB", detail);
    }

    [Fact]
    public async Task ThePresetFitsTheWorkersMemory() =>
        await _http.SubmitAsync(new { config = "emoji_vptsp_g" });
}
