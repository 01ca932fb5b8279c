using VptSp.Core.Backbones.Hub;
using VptSp.Core.Modeling;
using VptSp.Core.Training;

namespace VptSp.Tests.Core.Backbones;

/// <summary>Never a silent random ViT: an empty backbone_checkpoint means the name's Hub weights; random only when asked.</summary>
public sealed class BackbonePolicyTests
{
    private static TrainingConfig Frozen(string model, string checkpoint = "") =>
        new TrainingConfig { PretrainedModel = model, BackboneCheckpoint = checkpoint, VitPrompt = true, NumPrompt = 2 };

    [Fact]
    public void AFrozenBackboneMethodWithoutWeightsIsRefusedNamingBackboneCheckpointRandom()
    {
        var ex = Assert.Throws<ConfigException>(() => ModelFactory.ResolveBackboneSource(Frozen("vit_test_patch8_32"), null));
        Assert.Equal("backbone_checkpoint", ex.Key);
        Assert.Contains("backbone_checkpoint: random", ex.Message);
        Assert.Contains("vpt", ex.Message);
    }

    [Fact]
    public void RandomIsTheOneWayToARandomBackbone()
    {
        var source = ModelFactory.ResolveBackboneSource(Frozen("vit_test_patch8_32", "random"), null);
        Assert.Null(source.Path);
        Assert.Equal("random init", source.Describe(null));
    }

    [Fact]
    public void FullFineTuningOfANameWithoutWeightsStillStartsRandom() =>
        Assert.Null(ModelFactory.ResolveBackboneSource(new TrainingConfig { PretrainedModel = "vit_test_patch8_32", FullFineTune = true }, null).Path);

    [Fact]
    public void AFileIsDescribedWithItsSha256() =>
        Assert.Equal("file /x.safetensors, sha256 ab", BackboneSource.FromFile("/x.safetensors").Describe("ab"));
}

/// <summary>The Hub path through the environment (HF_ENDPOINT, HF_HUB_CACHE): one class, so its tests do not overlap.</summary>
public sealed class BackboneFromHubEnvironmentTests : IDisposable
{
    private readonly HubFixture _f = new();
    private readonly Dictionary<string, string?> _saved = new();

    public BackboneFromHubEnvironmentTests()
    {
        foreach (var key in new[] { "HF_ENDPOINT", "HF_HUB_CACHE", "HF_HUB_OFFLINE", "HF_TOKEN" }) _saved[key] = Environment.GetEnvironmentVariable(key);
        Environment.SetEnvironmentVariable("HF_ENDPOINT", _f.Hub.Endpoint);
        Environment.SetEnvironmentVariable("HF_HUB_CACHE", _f.CacheDir);
        Environment.SetEnvironmentVariable("HF_HUB_OFFLINE", null);
        Environment.SetEnvironmentVariable("HF_TOKEN", null);
    }

    public void Dispose()
    {
        foreach (var (key, value) in _saved) Environment.SetEnvironmentVariable(key, value);
        _f.Dispose();
    }

    [Fact]
    public void AnEmptyCheckpointOfATaggedNameDownloadsItsHubWeightsAndTheModelTakesTheirPreprocessing()
    {
        var c = new TrainingConfig { PretrainedModel = HubFixture.Name, VitPrompt = true, NumPrompt = 2, EmbedDim = 8 };
        var source = ModelFactory.ResolveBackboneSource(c, null);
        Assert.Equal(_f.Cache.Snapshot(Support.Hub.LoopbackHub.Commit, "model.safetensors"), source.Path);
        Assert.StartsWith($"hub {HubFixture.Repo} @ {Support.Hub.LoopbackHub.Commit}, sha256 {_f.Sha}", source.Describe(null));
        using var model = new MetricModel(ModelFactory.Options(c, 4, source.Path));
        Assert.Equal(_f.Sha, model.CheckpointSha256);
        Assert.Equal([0.25f, 0.25f, 0.25f], model.Preprocessing.Std);
    }

    [Fact]
    public void HfHubOfflineWithAnEmptyCacheFailsWithThePullCommand()
    {
        Environment.SetEnvironmentVariable("HF_HUB_OFFLINE", "1");
        var c = new TrainingConfig { PretrainedModel = HubFixture.Name, VitPrompt = true, NumPrompt = 2 };
        var ex = Assert.Throws<VptSp.Core.Diagnostics.UserFacingException>(() => ModelFactory.ResolveBackboneSource(c, null));
        Assert.Contains("HF_HUB_OFFLINE", ex.Message);
        Assert.Contains($"vptsp backbones pull {HubFixture.Name}", ex.Message);
        Assert.Empty(_f.Hub.Requests);
    }

    [Fact]
    public async Task BackbonesPullDownloadsAndListShowsTheCacheRoot()
    {
        var (code, output, error) = await VptSp.Tests.Cli.CliRun.Run("backbones", "pull", HubFixture.Name);
        Assert.True(code == 0, error);
        Assert.Contains($"hub {HubFixture.Repo} @ {Support.Hub.LoopbackHub.Commit}, sha256 {_f.Sha}", output);
        Assert.True(File.Exists(_f.Cache.Blob(_f.Sha)));

        var (listCode, list, _) = await VptSp.Tests.Cli.CliRun.Run("backbones", "list");
        Assert.Equal(0, listCode);
        Assert.Contains($"cache: {_f.CacheDir}", list);
        Assert.Contains("vit_small_patch16_224.augreg_in21k", list);
    }

    [Fact]
    public async Task TrainingWithAnEmptyCheckpointDownloadsTrainsAndRecordsTheProvenance()
    {
        using var data = new Support.SyntheticDataset(classes: 4, imagesPerClass: 4);
        var config = Path.Combine(_f.Dir, "tiny.yaml");
        await File.WriteAllTextAsync(config, Support.SyntheticDataset.TinyConfig("vpt").ToYaml());
        var runDir = Path.Combine(_f.Dir, "run");
        var (code, _, error) = await VptSp.Tests.Cli.CliRun.Run("train", "--source_path", data.Root, "--config", config,
            "--set", $"pretrained_model={HubFixture.Name}", "--set", "backbone_checkpoint=", "--output", runDir);
        Assert.True(code == 0, error);
        var source = new RunDirectory(runDir).ReadSource()!;
        Assert.Equal($"hub {HubFixture.Repo} @ {Support.Hub.LoopbackHub.Commit}, sha256 {_f.Sha}", source.Backbone);
        Assert.Equal(_f.Cache.Snapshot(Support.Hub.LoopbackHub.Commit, "model.safetensors"), source.BackboneCheckpoint);
        Assert.Contains("backbone: hub ", await File.ReadAllTextAsync(Path.Combine(runDir, "log.txt")));
    }
}
