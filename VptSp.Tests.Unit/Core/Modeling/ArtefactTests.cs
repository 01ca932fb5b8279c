using TorchSharp;
using VptSp.Core.Modeling;
using VptSp.Core.Modeling.Checkpoints;
using static TorchSharp.torch;
using VptSp.Core.Runtime;
using VptSp.Core.Training;

namespace VptSp.Tests.Core.Modeling;

public sealed class ArtefactTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"vptsp-artefact-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static void TrainOneStep(MetricModel m)
    {
        m.train();
        using var scope = NewDisposeScope();
        var opt = optim.SGD(m.ModelParameters(), 0.5);
        var popt = optim.SGD(m.ProxyParameters(), 0.5);
        var o = m.ForwardTrain(randn(4, 3, 32, 32), tensor(new long[] { 1, 1, 6, 6 }));
        o.Embeddings.mm(o.AllProxies.t()).sum().Plus(o.BatchProxies.sum()).backward();
        opt.step();
        popt.step();
        m.AfterStep(0.5);
    }

    [Fact]
    public void TheModelNamesAsTrainingOnlyExactlyTheStoredTensorsEmbeddingDoesNotRead()
    {
        using var model = new MetricModel(TinyModels.Options("vptsp_g", c => c with { VitBitfit = true }));
        TrainOneStep(model);
        var artefact = Path.Combine(_dir, "names");
        model.SaveArtefact(artefact);
        var stored = MetricModel.ReadTrainedTensors(artefact);
        try
        {
            model.eval();
            var x = randn(2, 3, 32, 32);
            using var baseline = model.Embed(x);
            var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            using var one = tensor(1f);
            foreach (var name in stored.Keys)
            {
                if (!parameters.TryGetValue(name, out var p))
                {
                    // the proxy container and the memory-bank class prompts live outside the parameters; only training reads them
                    Assert.True(MetricModel.IsTrainingOnly(name), name);
                    continue;
                }
                bool unchanged;
                using (no_grad())
                {
                    using var original = p.detach().clone();
                    p.PlusInPlace(one);
                    using (var moved = model.Embed(x)) unchanged = moved.allclose(baseline, 0, 0);
                    p.copy_(original);
                }
                Assert.True(MetricModel.IsTrainingOnly(name) == unchanged, $"{name}: training-only {MetricModel.IsTrainingOnly(name)}, embedding unchanged {unchanged}");
            }
            Assert.Contains(stored.Keys, MetricModel.IsTrainingOnly);
            Assert.Contains(stored.Keys, k => !MetricModel.IsTrainingOnly(k));
        }
        finally
        {
            foreach (var t in stored.Values) t.Dispose();
        }
    }

    [Theory]
    [InlineData("vptsp_g")]
    [InlineData("adapter")]
    [InlineData("full")]
    public void ArtefactRoundTripReproducesEmbeddingsExactly(string method)
    {
        Directory.CreateDirectory(_dir);
        var ckpt = Path.Combine(_dir, "start.safetensors");
        using (var vit = new VisionTransformer(VitPresets.Get("vit_test_patch8_32")))
            TorchSharp.PyBridge.PyBridgeModuleExtensions.save_safetensors(vit, ckpt);
        var options = ModelFactory.Options(TinyModels.Config(method), 10, checkpoint: ckpt);
        using var trained = new MetricModel(options);
        TrainOneStep(trained);
        var artefact = Path.Combine(_dir, "run");
        trained.SaveArtefact(artefact);
        var x = randn(3, 3, 32, 32);
        using var expected = trained.Embed(x);

        using var fresh = new MetricModel(options with { Seed = 99 });
        using (var before = fresh.Embed(x)) Assert.False(before.allclose(expected, 1e-4, 1e-4));
        if (method == "full")
        {
            Assert.True(File.Exists(Path.Combine(artefact, ArtefactFiles.Backbone)));
            using var loaded = MetricModel.FromArtefact(artefact);
            using var again = loaded.Embed(x);
            Assert.True(again.allclose(expected, 0, 0));
            // the exported backbone is an ordinary timm checkpoint for a later run
            using var vit = new VisionTransformer(VitPresets.Get("vit_test_patch8_32"));
            CheckpointImporter.Import(vit, Path.Combine(artefact, ArtefactFiles.Backbone));
        }
        else
        {
            Assert.False(File.Exists(Path.Combine(artefact, ArtefactFiles.Backbone)));
            fresh.LoadArtefact(artefact);
            using var after = fresh.Embed(x);
            Assert.True(after.allclose(expected, 0, 0));
            if (method == "vptsp_g")
            {
                Assert.True(fresh.ProxyContainerValues!.allclose(trained.ProxyContainerValues!, 0, 0));
                Assert.True(fresh.ClassPrompts!.Rows[1].allclose(trained.ClassPrompts!.Rows[1], 0, 0));
            }
        }
    }

    [Fact]
    public void ArtefactStoresOnlyTrainedTensorsAndTheBackboneIdentity()
    {
        var ckpt = Path.Combine(_dir, "start.safetensors");
        Directory.CreateDirectory(_dir);
        using (var vit = new VisionTransformer(VitPresets.Get("vit_test_patch8_32")))
            TorchSharp.PyBridge.PyBridgeModuleExtensions.save_safetensors(vit, ckpt);
        var options = ModelFactory.Options(TinyModels.Config("vpt"), 10, checkpoint: ckpt);
        using var m = new MetricModel(options);
        var artefact = Path.Combine(_dir, "run");
        m.SaveArtefact(artefact);
        var manifest = ArtefactManifest.FromJson(File.ReadAllText(Path.Combine(artefact, ArtefactFiles.Manifest)), "test");
        Assert.Equal(StateDictReader.Sha256(ckpt), manifest.CheckpointSha256);
        Assert.Equal("vit_test_patch8_32", manifest.BackbonePreset);
        Assert.Equal(new[] { "fc_norm.bias", "fc_norm.weight", "head.bias", "head.weight", "prompts.0", "prompts.1", "proxies_bias" }, manifest.Tensors);

        // a model on another backbone checkpoint refuses the artefact, naming the hash
        using var other = new MetricModel(TinyModels.Options("vpt"));
        var ex = Assert.Throws<InvalidDataException>(() => other.LoadArtefact(artefact));
        Assert.Contains("sha256", ex.Message);
    }
}
