using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace VptSp.Core.Export;

/// <summary>
/// A thin writer of ONNX nodes and initialisers over OnnxSharp's protobuf types: unique value names, float initialisers in the
/// graph's weight type (fp32, or fp16 for the half-precision variant), int64 constants for shapes and indices.
/// </summary>
internal sealed class OnnxGraphBuilder(bool half)
{
    private int _next;

    public GraphProto Graph { get; } = new() { Name = "vptsp_embedding" };

    /// <summary>The ONNX element type of weights and activations (FLOAT or FLOAT16).</summary>
    public int WeightType => (int)(half ? TensorProto.Types.DataType.Float16 : TensorProto.Types.DataType.Float);

    /// <summary>A fresh value name with a readable <paramref name="hint"/>.</summary>
    public string Name(string hint) => $"{hint}_{_next++}";

    /// <summary>An initialiser of weights (stored in <see cref="WeightType"/>).</summary>
    public string Weight(string name, ReadOnlySpan<float> values, params long[] dims) => AddFloat(name, values, dims, half);

    /// <summary>An fp32 initialiser whatever the weight type (for the parts that stay in fp32).</summary>
    public string Float32(string name, ReadOnlySpan<float> values, params long[] dims) => AddFloat(name, values, dims, false);

    /// <summary>An int64 initialiser (shapes, axes, indices); no dims = a scalar.</summary>
    public string Int64(string hint, long[] values, params long[] dims)
    {
        var name = Name(hint);
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.AddRange(dims);
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        Graph.Initializer.Add(t);
        return name;
    }

    /// <summary>A one-dimensional int64 initialiser.</summary>
    public string Int64Vector(string hint, params long[] values) => Int64(hint, values, values.Length);

    /// <summary>Adds one node; returns its (first) output name.</summary>
    public string Node(string op, string[] inputs, params AttributeProto[] attributes)
    {
        var output = Name(op.ToLowerInvariant());
        AddNode(op, inputs, [output], attributes);
        return output;
    }

    public void AddNode(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Name("n_" + op) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>A graph input or output: a tensor of <paramref name="elemType"/> whose dims are numbers or symbolic names.</summary>
    public static ValueInfoProto TensorValue(string name, int elemType, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is string s ? new TensorShapeProto.Types.Dimension { DimParam = s }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture) });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType, Shape = shape } },
        };
    }

    private string AddFloat(string name, ReadOnlySpan<float> values, long[] dims, bool asHalf)
    {
        if (values.Length != dims.Aggregate(1L, (a, b) => a * b))
            throw new ArgumentException($"initialiser {name}: {values.Length} values do not fill [{string.Join(", ", dims)}]");
        var t = new TensorProto { Name = name };
        t.Dims.AddRange(dims);
        if (asHalf)
        {
            var h = new Half[values.Length];
            for (var i = 0; i < h.Length; i++) h[i] = (Half)values[i];
            t.DataType = (int)TensorProto.Types.DataType.Float16;
            t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(h.AsSpan()));
        }
        else
        {
            t.DataType = (int)TensorProto.Types.DataType.Float;
            t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        }
        Graph.Initializer.Add(t);
        return name;
    }
}
