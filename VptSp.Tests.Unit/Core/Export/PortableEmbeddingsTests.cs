using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using VptSp.Core.Data;
using VptSp.Core.Export;
using VptSp.Core.Inference;
using VptSp.Core.Inference.Retrieval;
using VptSp.Tests.Core.Inference.Retrieval;
using VptSp.Tests.Support;

namespace VptSp.Tests.Core.Export;

public sealed class PortableEmbeddingsTests : IDisposable
{
    private readonly SyntheticDataset _data = new(classes: 4, imagesPerClass: 3);
    private readonly string _root = Directory.CreateTempSubdirectory("vptsp-portable-").FullName;

    public void Dispose()
    {
        _data.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>A safetensors file read by hand: 8-byte little-endian header length, JSON header, raw little-endian data.</summary>
    private static Dictionary<string, (string Dtype, long[] Shape, byte[] Data)> ReadSafetensors(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, headerLength));
        var result = new Dictionary<string, (string, long[], byte[])>();
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__") continue;
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var data = bytes.AsSpan(8 + headerLength + (int)offsets[0], (int)(offsets[1] - offsets[0])).ToArray();
            result[entry.Name] = (entry.Value.GetProperty("dtype").GetString()!,
                entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray(), data);
        }
        return result;
    }

    [Fact]
    public void TheGalleryExportReadsBackWithoutVptSpAndMatchesTheRunsEmbeddings()
    {
        var run = RetrievalRunFixtures.MakeRun(_root, "run", _data, RetrievalRunFixtures.Options(), perturbation: 1);
        var outDir = Path.Combine(_root, "out");
        var result = PortableEmbeddings.ExportRun(run, outDir);

        var test = GalleryStore.OpenDataset(run).Split(SplitNames.Test);
        using var model = RunModelLoader.Load(run);
        using var direct = EmbeddingExtractor.Embed(new MetricModelEmbedder(model), test, 8, 1);
        var expected = direct.data<float>().ToArray();

        var tensors = ReadSafetensors(Path.Combine(outDir, PortableEmbeddings.TensorFile));
        var (dtype, shape, data) = tensors["embeddings"];
        Assert.Equal("F32", dtype);
        Assert.Equal(new long[] { test.Count, 16 }, shape);
        var actual = new float[data.Length / 4];
        Buffer.BlockCopy(data, 0, actual, 0, data.Length);
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second)) < 1e-6);

        var (ltype, lshape, ldata) = tensors["labels"];
        Assert.Equal("I64", ltype);
        Assert.Equal(new long[] { test.Count }, lshape);
        var labels = Enumerable.Range(0, test.Count).Select(i => BinaryPrimitives.ReadInt64LittleEndian(ldata.AsSpan(8 * i))).ToArray();
        Assert.Equal(test.Labels().Select(l => (long)l), labels);

        var lines = File.ReadAllLines(Path.Combine(outDir, PortableEmbeddings.ItemsFile));
        Assert.Equal("index,path,label", lines[0]);
        Assert.Equal(test.Samples.Select((s, i) => $"{i},{s.Path},{s.Label}"), lines.Skip(1));
        Assert.Equal(test.Count, result.Count);
        // the export stored the gallery beside the run (and reuses it)
        Assert.True(File.Exists(Path.Combine(run, "gallery", "gallery.safetensors")));
        Assert.Empty(Directory.GetDirectories(_root, ".out*"));
    }
}
