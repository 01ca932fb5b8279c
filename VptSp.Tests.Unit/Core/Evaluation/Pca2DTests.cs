using VptSp.Core.Evaluation;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Evaluation;

public sealed class Pca2DTests
{
    [Fact]
    public void ProjectionOfPointsOnTwoKnownAxesMatchesHandComputedValues()
    {
        // Points on x (±2) and y (±1) in 3-D, shifted by (5, 5, 5): mean (5,5,5); covariance diag(8/3, 2/3, 0) with n − 1 = 3.
        // PC1 = x, PC2 = y; projections (2,0), (−2,0), (0,1), (0,−1); explained shares 0.8 and 0.2.
        using var x = tensor(new float[] { 7, 5, 5, 3, 5, 5, 5, 6, 5, 5, 4, 5 }, [4L, 3L]);
        var p = Pca2D.Project(x);
        Assert.Equal([2.0, -2.0, 0.0, 0.0], p.X.Select(v => Math.Round(v, 9) + 0.0));
        Assert.Equal([0.0, 0.0, 1.0, -1.0], p.Y.Select(v => Math.Round(v, 9) + 0.0));
        Assert.Equal(0.8, p.ExplainedFirst, 9);
        Assert.Equal(0.2, p.ExplainedSecond, 9);
    }

    [Fact]
    public void AxisSignsAreFixedWhateverTheInputsOrientation()
    {
        // Mirroring the data along x flips the raw eigenvector's sign freedom, not the picture: the largest loading stays positive.
        using var a = tensor(new float[] { 3, 0, -3, 0, 0, 1, 0, -1, 1, 0.5f }, [5L, 2L]);
        using var b = tensor(new float[] { -3, 0, 3, 0, 0, 1, 0, -1, -1, 0.5f }, [5L, 2L]);
        var pa = Pca2D.Project(a);
        var pb = Pca2D.Project(b);
        // Row i of b is row i of a mirrored in x: the projection on PC1 changes sign per point, the set of values does not.
        Assert.Equal(pa.X.Select(v => Math.Round(Math.Abs(v), 9)), pb.X.Select(v => Math.Round(Math.Abs(v), 9)));
        Assert.Equal(pa.ExplainedFirst, pb.ExplainedFirst, 9);
    }

    [Fact]
    public void FewerThanTwoPointsAreRefused()
    {
        using var one = zeros(1, 4);
        Assert.Contains("at least 2 points", Assert.Throws<ArgumentException>(() => Pca2D.Project(one)).Message);
    }
}
