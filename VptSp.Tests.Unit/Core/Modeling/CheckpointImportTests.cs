using TorchSharp;
using TorchSharp.PyBridge;
using VptSp.Core.Modeling;
using VptSp.Core.Modeling.Checkpoints;
using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Tests.Core.Modeling;

public class CheckpointImportTests
{
    private static Dictionary<string, Tensor> FixtureDict() => StateDictReader.Read(TinyVitFixture.Safetensors);

    [Fact]
    public void ImportErrorNamesMissingUnexpectedAndMisShapedKeys()
    {
        var dict = FixtureDict();
        dict.Remove("norm.weight");
        dict["blocks.0.extra.weight"] = zeros(3);
        dict["blocks.1.attn.qkv.weight"] = zeros(10, 48);
        using var vit = new VisionTransformer(TinyVitFixture.Spec(0));
        var ex = Assert.Throws<CheckpointMismatchException>(() => CheckpointImporter.Import(vit, dict, "bad.safetensors"));
        Assert.Equal(new[] { "norm.weight" }, ex.Missing);
        Assert.Equal(new[] { "blocks.0.extra.weight" }, ex.Unexpected);
        Assert.Single(ex.MisShaped);
        Assert.Contains("blocks.1.attn.qkv.weight: checkpoint [10, 48] vs model [144, 48]", ex.Message);
        Assert.Contains("norm.weight", ex.Message);
        Assert.Contains("blocks.0.extra.weight", ex.Message);
        Assert.Contains("bad.safetensors", ex.Message);
    }

    [Fact]
    public void ImportDropsTheHeadAndStripsModulePrefixesFromAPthWrapper()
    {
        var dict = FixtureDict();
        var path = Path.Combine(Path.GetTempPath(), $"vptsp-{Guid.NewGuid():N}.pth");
        try
        {
            var inner = new System.Collections.Hashtable();
            foreach (var (k, v) in dict) inner["module." + k] = v;
            var outer = new System.Collections.Hashtable { ["state_dict"] = inner };
            PyTorchPickler.PickleStateDict(path, outer);
            using var vit = new VisionTransformer(TinyVitFixture.Spec(0));
            var report = CheckpointImporter.Import(vit, path);
            Assert.Equal(new[] { "head.bias", "head.weight" }, report.Dropped);
            Assert.True(vit.state_dict()["norm.bias"].allclose(dict["norm.bias"]));
            Assert.Equal(64, report.Sha256.Length);
        }
        finally
        {
            File.Delete(path);
            foreach (var t in dict.Values) t.Dispose();
        }
    }

    [Fact]
    public void ImportKeepsTrainabilityFlagsOfTheModel()
    {
        using var vit = new VisionTransformer(TinyVitFixture.Spec(0));
        foreach (var p in vit.parameters()) p.requires_grad = false;
        var bias = vit.named_parameters().First(p => p.name == "blocks.0.attn.qkv.bias").parameter;
        bias.requires_grad = true;
        CheckpointImporter.Import(vit, TinyVitFixture.Pth);
        Assert.True(bias.requires_grad);
        Assert.Single(vit.parameters(), p => p.requires_grad);
    }

    [Fact]
    public void PosEmbedIsResampledBicubicallyWhenTheGridDiffers()
    {
        var dict = FixtureDict();
        using var vit = new VisionTransformer(TinyVitFixture.Spec(0) with { ImgSize = 48 });
        var report = CheckpointImporter.Import(vit, dict, "fixture");
        Assert.True(report.PosEmbedResampled);
        var pos = vit.state_dict()["pos_embed"];
        Assert.Equal(new long[] { 1, 37, 48 }, pos.shape);
        Assert.True(pos.narrow(1, 0, 1).allclose(dict["pos_embed"].narrow(1, 0, 1)));
        // bicubic interpolation keeps a constant grid constant
        using var quarter = 0.25f.ToScalar();
        var constant = cat(new[] { zeros(1, 1, 2), full(1, 16, 2, quarter) }, 1);
        using var resized = PosEmbedResampler.Resample(constant, 6);
        Assert.Equal(new long[] { 1, 37, 2 }, resized.shape);
        Assert.True(resized.narrow(1, 1, 36).allclose(full(1, 36, 2, quarter), 1e-5, 1e-5));
        using var smaller = PosEmbedResampler.Resample(constant, 2);   // downsampling (antialiased, as timm)
        Assert.True(smaller.narrow(1, 1, 4).allclose(full(1, 4, 2, quarter), 1e-5, 1e-5));
        foreach (var t in dict.Values) t.Dispose();
    }
}
