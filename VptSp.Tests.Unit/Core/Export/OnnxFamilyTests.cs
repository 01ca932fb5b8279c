using Google.Protobuf;
using VptSp.Core.Export;
using VptSp.Core.Modeling;
using VptSp.Core.Training;
using VptSp.Tests.Core.Modeling;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Export;

/// <summary>The ONNX inference graph of each backbone family (LayerScale, registers, no_embed_class, pre-norm, QuickGELU, eps) gives VptSp's embeddings.</summary>
public class OnnxFamilyTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "deit", "deit_small_patch16_224", "token" },
        { "dinov2", "vit_small_patch14_dinov2", "token" },
        { "dinov2_reg4", "vit_small_patch14_reg4_dinov2", "token" },
        { "dinov2_reg4", "vit_small_patch14_reg4_dinov2", "avg" },
        { "clip", "vit_base_patch16_clip_224", "token" },
        { "clip_quickgelu", "vit_base_patch16_clip_quickgelu_224", "token" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void OnnxRuntimeGivesVptSpsEmbeddingsForEachFamily(string family, string preset, string pooling)
    {
        var fx = TimmFamilyFixture.Load(family);
        var config = TinyModels.Config("vpt") with { PretrainedModel = preset };
        var options = ModelFactory.Options(config, 10, checkpoint: fx.ModelPath) with { GlobalPooling = pooling == "avg" ? GlobalPooling.Avg : GlobalPooling.Token };
        using var model = new MetricModel(options, backboneSpec: fx.Spec(preset));
        using var onnx = new OnnxEmbedder(OnnxExporter.Build(model, "family").ToByteArray());
        using var scope = NewDisposeScope();
        var images = fx.Images();
        var expected = model.Embed(images);
        var actual = onnx.Embed(images);
        var gap = OnnxParity.Measure(expected, actual);
        Assert.True(gap.MaxAbs <= 1e-5, $"{family} {pooling}: max |Δ| {gap.MaxAbs}");
    }
}
