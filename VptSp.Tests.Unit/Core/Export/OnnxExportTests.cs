using Onnx;
using VptSp.Core.Export;
using VptSp.Core.Inference;
using VptSp.Core.Modeling;
using VptSp.Tests.Core.Inference.Retrieval;
using VptSp.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Export;

public sealed class OnnxExportTests(ITestOutputHelper log) : IDisposable
{
    private readonly SyntheticDataset _data = new(classes: 4, imagesPerClass: 4);
    private readonly string _root = Directory.CreateTempSubdirectory("vptsp-onnx-").FullName;

    public void Dispose()
    {
        _data.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    public static TheoryData<string, string> Variants => new()
    {
        { "full", "" }, { "linear", "" }, { "vpt", "" }, { "bitfit", "" }, { "adapter", "" },
        { "vptsp_g", "" }, { "vpt", "avg" }, { "adapter", "sequential-pre" }, { "bitfit", "no-head" }, { "adapter", "reference-w48" },
    };

    private static ModelOptions OptionsFor(string method, string variant)
    {
        var o = OnnxParity.Options(method);
        return variant switch
        {
            "avg" => o with { GlobalPooling = GlobalPooling.Avg },
            "sequential-pre" => o with { Adapter = o.Adapter with { Option = AdapterPlacement.Sequential, LnPosition = AdapterLnPosition.Pre, Scalar = 0.5 } },
            // vit_head: false: the embedding is the pooled, normed feature (width 32)
            "no-head" => o with { Trainable = o.Trainable with { Head = false }, EmbedDim = 32 },
            // the reference's adapter block (12 heads, no qkv bias, eps 1e-5) in a width-48 ViT with 2 heads
            "reference-w48" => o with { Backbone = "vit_test_w48_patch8_32", Adapter = o.Adapter with { Attention = AdapterAttention.Reference } },
            _ => o,
        };
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void OnnxRuntimeGivesVptSpsEmbeddingsForEveryMethodAtBatchOneAndSeven(string method, string variant)
    {
        var run = RetrievalRunFixtures.MakeRun(_root, $"{method}{variant}", _data, OptionsFor(method, variant), perturbation: 5);
        var onnx = OnnxParity.Export(run, _root);
        var images = OnnxParity.Images(_data, 7);
        foreach (var batch in new[] { 1, 7 })
        {
            var gap = OnnxParity.Compare(run, onnx, images, batch);
            log.WriteLine($"{method} {variant} batch {batch}: max |Δ| {gap.MaxAbs:E2}, min cosine {gap.MinCosine:F8}");
            Assert.True(gap.MaxAbs <= 1e-4, $"batch {batch}: max |Δ| {gap.MaxAbs}");
            Assert.True(gap.MinCosine >= 0.99999, $"batch {batch}: min cosine {gap.MinCosine}");
        }
    }

    [Fact]
    public void AGraphWithoutTheTrainedPromptsGivesDifferentEmbeddings()
    {
        // the parity above can fail: the same export with the prompts left out is far from VptSp's embeddings
        var run = RetrievalRunFixtures.MakeRun(_root, "vpt", _data, OnnxParity.Options("vpt"), perturbation: 5);
        var wrong = Path.Combine(_root, "no-prompts.onnx");
        using (var model = RunModelLoader.Load(run))
            OnnxExporter.WriteAtomic(OnnxExporter.Build(model, ExportStructure.Of(model) with { PromptsPerBlock = [] }, "vpt", null, false), wrong);
        var gap = OnnxParity.Compare(run, wrong, OnnxParity.Images(_data, 7), 7);
        Assert.True(gap.MaxAbs > 1e-2, $"max |Δ| {gap.MaxAbs}");
    }

    [Fact]
    public void EmbeddingsAreUnitRowsThatDifferBetweenImages()
    {
        var run = RetrievalRunFixtures.MakeRun(_root, "vptsp", _data, OnnxParity.Options("vptsp_g"), perturbation: 5);
        using var onnx = new OnnxEmbedder(OnnxParity.Export(run, _root));
        using var e = ImageFileEmbedding.Embed(onnx, OnnxParity.Images(_data, 7));
        var rows = e.data<float>().Chunk(onnx.Dimension).ToList();
        Assert.Equal(7, rows.Count);
        Assert.All(rows, r => Assert.Equal(1.0, Math.Sqrt(r.Sum(v => (double)v * v)), 5));
        Assert.True(rows[0].Zip(rows[1]).Max(p => Math.Abs(p.First - p.Second)) > 1e-3);
    }

    [Fact]
    public void TheExportedModelIsOpset17WithDynamicBatchAndItsMetadataRoundTrips()
    {
        var run = RetrievalRunFixtures.MakeRun(_root, "adapter-run", _data, OnnxParity.Options("adapter"), perturbation: 2);
        var path = OnnxParity.Export(run, _root);
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.Equal(17, proto.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Equal("batch", proto.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal("batch", proto.Graph.Output[0].Type.TensorType.Shape.Dim[0].DimParam);
        // the per-class parts never reach the graph
        Assert.DoesNotContain(proto.Graph.Initializer, t => t.Name.StartsWith("p_", StringComparison.Ordinal) || t.Name.Contains("proxies"));

        using var model = RunModelLoader.Load(run);
        using var onnx = new OnnxEmbedder(path);
        var m = onnx.Metadata;
        Assert.Equal(model.Preprocessing.ImgSize, onnx.Preprocessing.ImgSize);
        Assert.Equal(model.Preprocessing.Mean, onnx.Preprocessing.Mean);
        Assert.Equal(model.Preprocessing.Std, onnx.Preprocessing.Std);
        Assert.Equal(model.Preprocessing.Interpolation, onnx.Preprocessing.Interpolation);
        Assert.Equal(model.Preprocessing.CropPct, onnx.Preprocessing.CropPct);
        Assert.Equal(16, onnx.Dimension);
        Assert.Equal("adapter", m[OnnxMetadata.Method]);
        Assert.Equal("token", m[OnnxMetadata.Pooling]);
        Assert.Equal("fp32", m[OnnxMetadata.Precision]);
        Assert.Equal("adapter-run", m[OnnxMetadata.RunId]);
        Assert.Equal("vit_test_patch8_32", m[OnnxMetadata.Backbone]);
        Assert.False(string.IsNullOrWhiteSpace(m[OnnxMetadata.Version]));
    }

    [Fact]
    public void AVptspGRunExportsOnlyItsInferencePath()
    {
        var run = RetrievalRunFixtures.MakeRun(_root, "g", _data, OnnxParity.Options("vptsp_g"), perturbation: 2);
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(OnnxParity.Export(run, _root)));
        var names = proto.Graph.Initializer.Select(t => t.Name).ToList();
        Assert.Contains("prompts.0", names);
        Assert.Contains("head.weight_t", names);
        Assert.DoesNotContain(names, n => n.StartsWith("p_head", StringComparison.Ordinal) || n.StartsWith("rnn_update", StringComparison.Ordinal));
    }
}

public sealed class OnnxFp16ExportTests(ITestOutputHelper log) : IDisposable
{
    private readonly SyntheticDataset _data = new(classes: 4, imagesPerClass: 4);
    private readonly string _root = Directory.CreateTempSubdirectory("vptsp-onnx16-").FullName;

    public void Dispose()
    {
        _data.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("vptsp_g")]
    [InlineData("adapter")]
    public void TheFp16VariantIsHalfTheSizeAndCloseToVptSp(string method)
    {
        var run = RetrievalRunFixtures.MakeRun(_root, method, _data, OnnxParity.Options(method), perturbation: 5);
        var fp32 = OnnxParity.Export(run, _root);
        var fp16 = OnnxParity.Export(run, _root, fp16: true);
        Assert.InRange(new FileInfo(fp16).Length, new FileInfo(fp32).Length * 0.4, new FileInfo(fp32).Length * 0.6);
        using (var onnx = new OnnxEmbedder(fp16)) Assert.Equal("fp16", onnx.Metadata[OnnxMetadata.Precision]);
        var gap = OnnxParity.Compare(run, fp16, OnnxParity.Images(_data, 7), 7);
        log.WriteLine($"{method} fp16 batch 7: max |Δ| {gap.MaxAbs:E2}, min cosine {gap.MinCosine:F6}");
        Assert.True(gap.MinCosine >= 0.999, $"min cosine {gap.MinCosine}");
        Assert.True(gap.MaxAbs > 0, "an fp16 graph that equals fp32 exactly did not run in fp16");
    }
}
