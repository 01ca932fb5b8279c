using System.Text.Json;
using VptSp.Core.Modeling;
using VptSp.Core.Modeling.Checkpoints;
using VptSp.Tests.Support;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Modeling;

/// <summary>
/// A tiny timm model of one backbone family (Fixtures/TimmFamilies/&lt;family&gt;, made by tools/timm-parity/make_family_fixtures.py):
/// its timm state dict, an input batch and timm's forward_features / pooled outputs.
/// </summary>
internal sealed class TimmFamilyFixture
{
    private readonly JsonElement _root;

    private TimmFamilyFixture(string family)
    {
        Dir = Path.Combine(TestPaths.TimmFamiliesDir, family);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "expected.json")));
        _root = doc.RootElement.Clone();
    }

    public static TimmFamilyFixture Load(string family) => new(family);

    public string Dir { get; }

    public string ModelPath => Path.Combine(Dir, "model.safetensors");

    public JsonElement Arch => _root.GetProperty("arch");

    public int ImgSize => Arch.GetProperty("img_size").GetInt32();

    public bool Resamples => ImgSize != Arch.GetProperty("checkpoint_img_size").GetInt32();

    /// <summary>The preset's structure (its eps, LayerScale, registers, pre-norm, activation) at the fixture's tiny size.</summary>
    public VitSpec Spec(string preset) => VitPresets.Get(preset) with
    {
        Name = preset + "_tiny",
        ImgSize = ImgSize,
        EmbedDim = Arch.GetProperty("embed_dim").GetInt32(),
        Depth = Arch.GetProperty("depth").GetInt32(),
        NumHeads = Arch.GetProperty("num_heads").GetInt32(),
        MlpRatio = Arch.GetProperty("mlp_ratio").GetDouble(),
    };

    /// <summary>A VisionTransformer of <paramref name="spec"/> loaded through the real checkpoint import.</summary>
    public (VisionTransformer Vit, ImportReport Report) Import(VitSpec spec)
    {
        var vit = new VisionTransformer(spec);
        var report = CheckpointImporter.Import(vit, ModelPath);
        vit.eval();
        return (vit, report);
    }

    public Tensor Images()
    {
        var dict = StateDictReader.Read(Path.Combine(Dir, "input.safetensors"));
        return dict["images"];
    }

    public float[] Expected(string key, out long[] shape)
    {
        var values = new List<float>();
        var dims = new List<long>();
        Flatten(_root.GetProperty(key), values, dims, 0);
        shape = dims.ToArray();
        return values.ToArray();
    }

    private static void Flatten(JsonElement e, List<float> values, List<long> dims, int depth)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            values.Add(e.GetSingle());
            return;
        }
        if (dims.Count == depth) dims.Add(e.GetArrayLength());
        foreach (var item in e.EnumerateArray()) Flatten(item, values, dims, depth + 1);
    }

    /// <summary>Max |expected − actual| over the whole tensor, after checking the shapes agree.</summary>
    public double MaxAbsDiff(string key, Tensor actual)
    {
        var expected = Expected(key, out var shape);
        Assert.Equal(shape, actual.shape);
        var got = actual.to(ScalarType.Float32).contiguous().data<float>().ToArray();
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - got[i]));
        return worst;
    }
}
