using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using VptSp.Core.Inference;
using VptSp.Core.Modeling;
using static TorchSharp.torch;

namespace VptSp.Core.Export;

/// <summary>An exported model run by ONNX Runtime (CPU): preprocessing and sizes come from the model's own metadata.</summary>
public sealed class OnnxEmbedder : IImageEmbedder, IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _input;
    private readonly string _output;

    public OnnxEmbedder(string modelPath, SessionOptions? options = null)
        : this(File.Exists(modelPath)
            ? options is null ? new InferenceSession(modelPath) : new InferenceSession(modelPath, options)
            : throw new FileNotFoundException($"no ONNX model at {modelPath}", modelPath))
    {
    }

    /// <summary>A model held in memory (e.g. exported on the fly), never written to disk.</summary>
    public OnnxEmbedder(byte[] model, SessionOptions? options = null)
        : this(options is null ? new InferenceSession(model) : new InferenceSession(model, options))
    {
    }

    private OnnxEmbedder(InferenceSession session)
    {
        _session = session;
        Metadata = new Dictionary<string, string>(_session.ModelMetadata.CustomMetadataMap, StringComparer.Ordinal);
        Preprocessing = OnnxMetadata.PreprocessingOf(Metadata);
        Dimension = int.Parse(Metadata[OnnxMetadata.EmbeddingSize], CultureInfo.InvariantCulture);
        _input = Metadata.GetValueOrDefault(OnnxMetadata.InputName) ?? _session.InputNames[0];
        _output = Metadata.GetValueOrDefault(OnnxMetadata.OutputName) ?? _session.OutputNames[0];
    }

    /// <summary>The model's <c>metadata_props</c>.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public Preprocessing Preprocessing { get; }
    public Device Device => CPU;
    public int Dimension { get; }

    /// <summary>Embeddings (B×E row-major) of <paramref name="batch"/> normalised images given as B×3×S×S row-major pixels.</summary>
    public float[] Run(float[] pixels, int batch)
    {
        var s = Preprocessing.ImgSize;
        if (pixels.Length != (long)batch * 3 * s * s)
            throw new ArgumentException($"{pixels.Length} pixel values are not {batch} images of 3×{s}×{s}");
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, new long[] { batch, 3, s, s });
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [_input], [input], [_output]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public Tensor Embed(Tensor images)
    {
        using var scope = NewDisposeScope();
        var b = images.shape[0];
        var pixels = images.to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        return tensor(Run(pixels, (int)b), new long[] { b, Dimension }).MoveToOuterDisposeScope();
    }

    public void Dispose() => _session.Dispose();
}
