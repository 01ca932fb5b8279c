using VptSp.Core.Export;
using VptSp.Core.Inference;
using VptSp.Core.Modeling;
using VptSp.Tests.Core.Inference.Retrieval;
using VptSp.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Export;

/// <summary>Runs VptSp and ONNX Runtime on the same real images and measures how far apart their embeddings are.</summary>
internal static class OnnxParity
{
    public sealed record Gap(double MaxAbs, double MinCosine);

    /// <summary>The first <paramref name="count"/> PNGs of the synthetic dataset (sorted, several classes).</summary>
    public static IReadOnlyList<string> Images(SyntheticDataset data, int count) =>
        ImageFileEmbedding.Collect([data.Root]).Where((_, i) => i % 2 == 0).Take(count).ToList();

    /// <summary>Max |Δ| and min row cosine between VptSp's embeddings (run model, <paramref name="batchSize"/>) and the ONNX model's.</summary>
    public static Gap Compare(string run, string onnxPath, IReadOnlyList<string> images, int batchSize)
    {
        using var model = RunModelLoader.Load(run);
        using var onnx = new OnnxEmbedder(onnxPath);
        using var scope = NewDisposeScope();
        var expected = ImageFileEmbedding.Embed(new MetricModelEmbedder(model), images, batchSize: batchSize);
        var actual = ImageFileEmbedding.Embed(onnx, images, batchSize: batchSize);
        return Measure(expected, actual);
    }

    public static Gap Measure(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        var maxAbs = expected.sub(actual).abs().max().item<float>();
        var cos = nn.functional.cosine_similarity(expected, actual, dim: 1).min().item<float>();
        return new Gap(maxAbs, cos);
    }

    public static string Export(string run, string dir, bool fp16 = false)
    {
        var path = Path.Combine(dir, Path.GetFileName(run) + (fp16 ? ".fp16" : "") + ".onnx");
        OnnxExporter.ExportRun(run, path, fp16);
        return path;
    }

    public static ModelOptions Options(string method) => RetrievalRunFixtures.Options(method);
}
