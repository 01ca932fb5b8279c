using TorchSharp;
using TorchSharp.PyBridge;
using VptSp.Core.Modeling;
using VptSp.Core.Modeling.Checkpoints;
using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Tests.Core.Modeling;

public class FixtureParityTests
{
    public static TheoryData<string> Formats => new() { "tiny_vit.safetensors", "tiny_vit.pth" };

    private static VisionTransformer Load(string file)
    {
        var vit = new VisionTransformer(TinyVitFixture.Spec());
        CheckpointImporter.Import(vit, Path.Combine(TinyVitFixture.Dir, file), keepHead: true);
        vit.eval();
        return vit;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void ClassTokenFeaturesMatchPyTorch(string file)
    {
        using var vit = Load(file);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var feats = vit.ForwardFeatures(TinyVitFixture.Images()).select(1, 0);
        TinyVitFixture.AssertClose(TinyVitFixture.Expected("cls_after_norm"), feats);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void HeadLogitsMatchPyTorch(string file)
    {
        using var vit = Load(file);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        TinyVitFixture.AssertClose(TinyVitFixture.Expected("head_logits"), vit.call(TinyVitFixture.Images()));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void FirstTokensOfImageZeroMatchPyTorch(string file)
    {
        using var vit = Load(file);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var tokens = vit.ForwardFeatures(TinyVitFixture.Images())[0].narrow(0, 0, 4);
        TinyVitFixture.AssertClose(TinyVitFixture.Expected("tokens_after_norm_image0_first4"), tokens);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void PromptedClassTokenFeaturesMatchPyTorch(string file)
    {
        using var vit = Load(file);
        var prompts = Safetensors.LoadStateDict(Path.Combine(TinyVitFixture.Dir, "prompts.safetensors"));
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var feats = vit.ForwardFeatures(TinyVitFixture.Images(), i => prompts[$"prompts.{i}"].unsqueeze(0)).select(1, 0);
            TinyVitFixture.AssertClose(TinyVitFixture.Expected("cls_after_norm_with_prompts"), feats);
            // and the prompts do change the result
            var plain = vit.ForwardFeatures(TinyVitFixture.Images()).select(1, 0);
            Assert.True((feats - plain).abs().max().ReadSingle() > 1e-3f);
        }
        finally
        {
            foreach (var t in prompts.Values) t.Dispose();
        }
    }
}
