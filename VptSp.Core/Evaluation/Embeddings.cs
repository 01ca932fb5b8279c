using TorchSharp;
using static TorchSharp.torch;

namespace VptSp.Core.Evaluation;

/// <summary>Small helpers shared by the metrics: L2 normalisation and array → tensor conversion.</summary>
public static class Embeddings
{
    private static readonly Scalar NormFloor = 1e-12.ToScalar();

    /// <summary>Rows divided by their L2 norm (zero rows stay zero), as float32.</summary>
    public static Tensor L2Normalise(Tensor x)
    {
        if (x.dim() != 2) throw new ArgumentException($"embeddings must be 2-D (got {x.dim()}-D)");
        using var scope = NewDisposeScope();
        var f = x.detach().to(ScalarType.Float32);
        return (f / f.norm(1, true).clamp_min(NormFloor)).MoveToOuterDisposeScope();
    }

    /// <summary>An N × E float32 tensor from jagged rows, all of the same length.</summary>
    public static Tensor ToTensor(IReadOnlyList<float[]> rows)
    {
        if (rows.Count == 0) throw new ArgumentException("no embeddings given");
        var dim = rows[0].Length;
        if (dim == 0) throw new ArgumentException("embeddings have dimension 0");
        var flat = new float[rows.Count * dim];
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != dim)
                throw new ArgumentException($"embedding {i} has {rows[i].Length} values, expected {dim}");
            rows[i].CopyTo(flat, i * dim);
        }
        return tensor(flat, new long[] { rows.Count, dim });
    }
}
