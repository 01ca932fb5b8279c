using static TorchSharp.torch;

namespace VptSp.Core.Evaluation;

/// <summary>A 2-D projection of N points and the share of the total variance each axis explains.</summary>
public sealed record PcaProjection(double[] X, double[] Y, double ExplainedFirst, double ExplainedSecond);

/// <summary>
/// Principal-component projection to two dimensions (the embedding map): centre the rows, take the two eigenvectors of
/// the covariance with the largest eigenvalues, project. Signs are fixed (each axis's largest-magnitude loading is
/// positive) so the same embeddings always give the same picture. Computed in float64.
/// </summary>
public static class Pca2D
{
    public static PcaProjection Project(Tensor embeddings)
    {
        if (embeddings.dim() != 2) throw new ArgumentException($"embeddings must be 2-D (got {embeddings.dim()}-D)");
        var n = embeddings.shape[0];
        var e = embeddings.shape[1];
        if (n < 2) throw new ArgumentException($"a projection needs at least 2 points (got {n})");
        if (e < 1) throw new ArgumentException("embeddings have dimension 0");
        using var scope = NewDisposeScope();
        var x = embeddings.detach().to(ScalarType.Float64);
        var centred = x - x.mean([0L], keepdim: true);
        using var denominator = tensor((double)(n - 1), ScalarType.Float64);
        var covariance = centred.t().mm(centred).div(denominator);
        var (values, vectors) = linalg.eigh(covariance); // ascending eigenvalues, eigenvectors in columns
        var lambda = values.data<double>().ToArray();
        var v = vectors.data<double>().ToArray();
        var total = lambda.Sum(l => Math.Max(0, l));
        var w = new double[e * 2];
        for (var c = 0; c < 2; c++)
        {
            var column = (int)e - 1 - c;
            if (column < 0) break; // one-dimensional embeddings: the second axis stays zero
            var largest = 0;
            for (var i = 1; i < e; i++)
                if (Math.Abs(v[i * e + column]) > Math.Abs(v[largest * e + column])) largest = i;
            var sign = v[largest * e + column] < 0 ? -1.0 : 1.0;
            for (var i = 0; i < e; i++) w[i * 2 + c] = sign * v[i * e + column];
        }
        var weights = tensor(w, [e, 2L], ScalarType.Float64);
        var projected = centred.mm(weights).data<double>().ToArray();
        var xs = new double[n];
        var ys = new double[n];
        for (var i = 0; i < n; i++)
        {
            xs[i] = projected[i * 2];
            ys[i] = projected[i * 2 + 1];
        }
        double Share(int c) => total <= 0 || e - 1 - c < 0 ? 0 : Math.Max(0, lambda[e - 1 - c]) / total;
        return new PcaProjection(xs, ys, Share(0), Share(1));
    }
}
