using Onnx;
using VptSp.Core.Modeling;
using static VptSp.Core.Export.OnnxGraphBuilder;

namespace VptSp.Core.Export;

/// <summary>
/// The inference path of a <see cref="MetricModel"/> (its <c>Embed</c>) as ONNX nodes: patch Conv → class token + position
/// embedding → blocks (block i's shared prompts prepended, their outputs dropped; adapters where trained) → final norm → pool →
/// fc_norm → head → L2 normalisation. Trained prompts, BitFit biases and adapters are initialisers; VPTSP-G's proxy net (class
/// prompts, p_head, GRU, proxies) is not part of inference and is left out.
/// </summary>
internal sealed class EmbeddingGraph
{
    public const string InputName = "pixel_values";
    public const string OutputName = "embedding";
    public const string BatchDim = "batch";

    // the eps of each LayerNorm as the modules build them (AdapterLayer, MetricModel's fc_norm; the backbone's from its spec)
    private const float AdapterEps = 1e-5f;
    private const float HeadEps = 1e-5f;
    // torch.nn.functional.normalize's default eps
    private const float NormalizeEps = 1e-12f;

    private readonly OnnxGraphBuilder _g;
    private readonly ModelWeights _w;
    private readonly ExportStructure _s;
    private readonly HashSet<string> _added = new(StringComparer.Ordinal);
    private string _batch = "";
    private string _half = "", _one = "", _invSqrt2 = "", _quickGelu = "";

    private EmbeddingGraph(OnnxGraphBuilder g, ModelWeights w, ExportStructure s)
    {
        _g = g;
        _w = w;
        _s = s;
    }

    /// <summary>The graph of <paramref name="structure"/> with <paramref name="weights"/>; fp16 weights and activations when <paramref name="half"/>.</summary>
    public static GraphProto Build(ExportStructure structure, ModelWeights weights, bool half)
    {
        var g = new OnnxGraphBuilder(half);
        new EmbeddingGraph(g, weights, structure).Emit(half);
        return g.Graph;
    }

    private void Emit(bool half)
    {
        var spec = _s.Spec;
        const int FloatType = (int)TensorProto.Types.DataType.Float;
        _g.Graph.Input.Add(TensorValue(InputName, FloatType, BatchDim, 3, spec.ImgSize, spec.ImgSize));
        _g.Graph.Output.Add(TensorValue(OutputName, FloatType, BatchDim, _s.EmbedDim));
        _half = _g.Weight("const_half", [0.5f]);
        _one = _g.Weight("const_one", [1f]);
        _invSqrt2 = _g.Weight("const_inv_sqrt2", [(float)(1 / Math.Sqrt(2))]);
        _quickGelu = _g.Weight("const_quick_gelu", [1.702f]);
        // the batch size as a 1-vector, for expanding the class token and prompts
        _batch = _g.Node("Slice", [_g.Node("Shape", [InputName]), _g.Int64Vector("zero", 0), _g.Int64Vector("one", 1)]);

        var pixels = half ? _g.Node("Cast", [InputName], Int("to", _g.WeightType)) : InputName;
        var x = EmbedTokens(pixels);
        var tokenPool = !_s.AveragePooling;
        for (var i = 0; i < spec.Depth; i++)
            x = Block(i, x, classTokenOnly: tokenPool && i == spec.Depth - 1);
        x = LayerNorm(x, "backbone.norm", BackboneEps);
        // avg: the patch tokens, class and register tokens excluded
        var pooled = tokenPool
            ? _g.Node("Gather", [x, _g.Int64("cls_index", [0])], Int("axis", 1))
            : _g.Node("ReduceMean", [SliceTokens(x, spec.PrefixTokens, long.MaxValue)], Ints("axes", 1), Int("keepdims", 0));
        var e = _s.Head ? Linear(LayerNorm(pooled, "fc_norm", HeadEps), "head") : pooled;
        if (half) e = _g.Node("Cast", [e], Int("to", FloatType));
        Normalize(e, OutputName);
    }

    private float BackboneEps => (float)_s.Spec.NormEps;

    /// <summary>
    /// Conv patches → B×L×D, class token and registers in front, the position embedding (on the patches alone before the prefix
    /// joins when the spec says no_embed_class), then the pre-norm where the spec has one.
    /// </summary>
    private string EmbedTokens(string pixels)
    {
        var spec = _s.Spec;
        var p = spec.PatchSize;
        var d = spec.EmbedDim;
        string[] convInputs = spec.PatchBias
            ? [pixels, W("backbone.patch_embed.proj.weight"), W("backbone.patch_embed.proj.bias")]
            : [pixels, W("backbone.patch_embed.proj.weight")];
        var conv = _g.Node("Conv", convInputs, Ints("kernel_shape", p, p), Ints("strides", p, p));
        var flat = _g.Node("Reshape", [conv, _g.Int64Vector("shape", 0, d, -1)]);
        var patches = _g.Node("Transpose", [flat], Ints("perm", 0, 2, 1));
        var prefix = new List<string> { Expand(W("backbone.cls_token"), 1, d) };
        if (spec.RegTokens > 0) prefix.Add(Expand(W("backbone.reg_token"), spec.RegTokens, d));
        var x = spec.NoEmbedClass
            ? _g.Node("Concat", [.. prefix, _g.Node("Add", [patches, W("backbone.pos_embed")])], Int("axis", 1))
            : _g.Node("Add", [_g.Node("Concat", [.. prefix, patches], Int("axis", 1)), W("backbone.pos_embed")]);
        return spec.PreNorm ? LayerNorm(x, "backbone.norm_pre", BackboneEps) : x;
    }

    /// <summary>One pre-norm block over [prompts; x], returning the non-prompt tokens (or the class token alone).</summary>
    private string Block(int i, string x, bool classTokenOnly)
    {
        var pre = $"backbone.blocks.{i}";
        var n = i < _s.PromptsPerBlock.Count ? _s.PromptsPerBlock[i] : 0;
        var input = n == 0 ? x : _g.Node("Concat", [Expand(W($"prompts.{i}"), n, _s.Spec.EmbedDim), x], Int("axis", 1));
        // an adapted block with the reference's attention: 12 heads, no qkv bias, eps 1e-5 (Block)
        var adapted = _w.Has(pre + ".adapter.down_proj.weight");
        var reference = adapted && _s.AdapterAttention == AdapterAttention.Reference;
        var eps = reference ? (float)AdapterOptions.ReferenceEps : BackboneEps;
        var heads = reference ? AdapterOptions.ReferenceHeads : _s.Spec.NumHeads;
        var h = _g.Node("Add", [input, Scaled(Attention(LayerNorm(input, pre + ".norm1", eps), pre + ".attn", heads), pre + ".ls1")]);
        // every op after attention is per token: drop the prompt outputs (and, when only the class token is read, the rest) here
        if (n > 0 || classTokenOnly) h = SliceTokens(h, n, classTokenOnly ? n + 1 : long.MaxValue);
        var m = Scaled(Mlp(LayerNorm(h, pre + ".norm2", eps), pre + ".mlp"), pre + ".ls2");
        if (!adapted) return _g.Node("Add", [h, m]);
        var a = Adapter(_s.ParallelAdapter ? h : m, pre + ".adapter");
        return _s.ParallelAdapter
            ? _g.Node("Add", [_g.Node("Add", [h, m]), a])
            : _g.Node("Add", [h, _g.Node("Add", [m, a])]);
    }

    /// <summary>timm attention with the fused qkv split into three products; the 1/√d scale is folded into the query weights.</summary>
    private string Attention(string x, string pre, long heads)
    {
        var spec = _s.Spec;
        long d = spec.EmbedDim, hd = d / heads;
        var hasBias = _w.Has(pre + ".qkv.bias");
        var scale = (float)(1.0 / Math.Sqrt(hd));
        string Part(int k, float s, long[] perm)
        {
            var w = _g.Weight(_g.Name($"{pre}.qkv.w{k}"), _w.LinearTransposed(pre + ".qkv.weight", k * d, d, s), d, d);
            var y = _g.Node("MatMul", [x, w]);
            if (hasBias) y = _g.Node("Add", [y, _g.Weight(_g.Name($"{pre}.qkv.b{k}"), _w.Slice(pre + ".qkv.bias", k * d, d, s), d)]);
            return _g.Node("Transpose", [_g.Node("Reshape", [y, _g.Int64Vector("heads", 0, 0, heads, hd)])], Ints("perm", perm));
        }
        var q = Part(0, scale, [0, 2, 1, 3]);   // B×H×T×d
        var kT = Part(1, 1f, [0, 2, 3, 1]);     // B×H×d×T
        var v = Part(2, 1f, [0, 2, 1, 3]);
        var att = _g.Node("Softmax", [_g.Node("MatMul", [q, kT])], Int("axis", -1));
        var o = _g.Node("Transpose", [_g.Node("MatMul", [att, v])], Ints("perm", 0, 2, 1, 3));
        return Linear(_g.Node("Reshape", [o, _g.Int64Vector("merge", 0, 0, d)]), pre + ".proj");
    }

    private string Mlp(string x, string pre)
    {
        var h = Linear(x, pre + ".fc1");
        var a = _s.Spec.Activation == MlpActivation.QuickGelu
            ? _g.Node("Mul", [h, _g.Node("Sigmoid", [_g.Node("Mul", [h, _quickGelu])])])
            : Gelu(h);
        return Linear(a, pre + ".fc2");
    }

    /// <summary>A residual branch times its LayerScale <c>gamma</c> where the spec has LayerScale.</summary>
    private string Scaled(string branch, string pre) =>
        _s.Spec.LayerScaleInit is null ? branch : _g.Node("Mul", [branch, W(pre + ".gamma")]);

    /// <summary>AdaptFormer branch: [LN] → down → ReLU → up → ×scale → [LN].</summary>
    private string Adapter(string x, string pre)
    {
        var h = _s.AdapterLn == AdapterLnPosition.Pre ? LayerNorm(x, pre + ".adapter_ln", AdapterEps) : x;
        h = Linear(_g.Node("Relu", [Linear(h, pre + ".down_proj")]), pre + ".up_proj");
        h = _g.Node("Mul", [h, _g.Weight(_g.Name(pre + ".scale"), [(float)_s.AdapterScale])]);
        return _s.AdapterLn == AdapterLnPosition.Post ? LayerNorm(h, pre + ".adapter_ln", AdapterEps) : h;
    }

    /// <summary>Exact (erf) GELU: x · ½ · (1 + erf(x/√2)).</summary>
    private string Gelu(string x)
    {
        var erf = _g.Node("Erf", [_g.Node("Mul", [x, _invSqrt2])]);
        return _g.Node("Mul", [_g.Node("Mul", [x, _half]), _g.Node("Add", [erf, _one])]);
    }

    private string Linear(string x, string pre)
    {
        var shape = _w.Shape(pre + ".weight");
        var w = _g.Weight(pre + ".weight_t", _w.LinearTransposed(pre + ".weight", 0, shape[0]), shape[1], shape[0]);
        return _g.Node("Add", [_g.Node("MatMul", [x, w]), W(pre + ".bias")]);
    }

    private string LayerNorm(string x, string pre, float eps) =>
        _g.Node("LayerNormalization", [x, W(pre + ".weight"), W(pre + ".bias")], Int("axis", -1), Float("epsilon", eps));

    /// <summary>x / max(‖x‖₂, eps) over the last axis, in fp32 (torch's normalize).</summary>
    private void Normalize(string x, string output)
    {
        var norm = _g.Node("ReduceL2", [x], Ints("axes", -1), Int("keepdims", 1));
        var clamped = _g.Node("Max", [norm, _g.Float32("const_normalize_eps", [NormalizeEps])]);
        _g.AddNode("Div", [x, clamped], [output]);
    }

    /// <summary>Tokens [<paramref name="start"/>, <paramref name="end"/>) of a B×T×D value.</summary>
    private string SliceTokens(string x, long start, long end) =>
        _g.Node("Slice", [x, _g.Int64Vector("start", start), _g.Int64Vector("end", end), _g.Int64Vector("axis", 1)]);

    /// <summary>A 1×n×d initialiser repeated over the batch: B×n×d.</summary>
    private string Expand(string value, long n, long d) =>
        _g.Node("Expand", [value, _g.Node("Concat", [_batch, _g.Int64Vector("rows", n, d)], Int("axis", 0))]);

    /// <summary>A state-dict tensor as an initialiser of its own shape (added once).</summary>
    private string W(string name)
    {
        if (!_added.Add(name)) return name;
        return _g.Weight(name, _w.Values(name), _w.Shape(name));
    }
}
