using VptSp.Core.Modeling;
using static TorchSharp.torch;

namespace VptSp.Core.Export;

/// <summary>A model's state dict copied out as fp32 arrays (the export reads every weight once, by its timm-style name).</summary>
internal sealed class ModelWeights
{
    private readonly Dictionary<string, (float[] Values, long[] Shape)> _tensors = new(StringComparer.Ordinal);

    public ModelWeights(MetricModel model)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var (name, t) in model.state_dict())
        {
            if (!t.is_floating_point()) continue;
            var cpu = t.detach().to(ScalarType.Float32).cpu().contiguous();
            _tensors[name] = (cpu.data<float>().ToArray(), cpu.shape);
        }
    }

    public bool Has(string name) => _tensors.ContainsKey(name);

    public long[] Shape(string name) => Get(name).Shape;

    public float[] Values(string name) => Get(name).Values;

    /// <summary>A linear layer's weight (out×in) transposed to in×out, rows [<paramref name="start"/>, +<paramref name="count"/>) of the output only.</summary>
    public float[] LinearTransposed(string name, long start, long count, float scale = 1f)
    {
        var (w, shape) = Get(name);
        long rows = shape[0], cols = shape[1];
        if (start < 0 || start + count > rows) throw new ArgumentException($"{name}: rows {start}+{count} exceed {rows}");
        var t = new float[cols * count];
        for (long o = 0; o < count; o++)
        for (long i = 0; i < cols; i++)
            t[i * count + o] = w[(start + o) * cols + i] * scale;
        return t;
    }

    /// <summary>Elements [<paramref name="start"/>, +<paramref name="count"/>) of a vector, times <paramref name="scale"/>.</summary>
    public float[] Slice(string name, long start, long count, float scale = 1f) =>
        Values(name).Skip((int)start).Take((int)count).Select(v => v * scale).ToArray();

    private (float[] Values, long[] Shape) Get(string name) =>
        _tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"the model has no tensor '{name}' to export");
}
