using TorchSharp;
using VptSp.Core.Evaluation;
using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Tests.Core.Evaluation;

public class ClusterMetricsTests
{
    // classes  0 0 0 1 1 1
    // clusters 0 0 1 1 1 1
    private static readonly int[] Labels = [0, 0, 0, 1, 1, 1];
    private static readonly int[] Clusters = [0, 0, 1, 1, 1, 1];

    [Fact]
    public void NmiMatchesHandComputedValue()
    {
        // n = 6; class sizes 3, 3; cluster sizes 2, 4; joint (0,0) 2, (0,1) 1, (1,1) 3.
        // MI = 2/6·ln(6·2/(3·2)) + 1/6·ln(6·1/(3·4)) + 3/6·ln(6·3/(3·4)) = ln2/3 − ln2/6 + ln1.5/2
        // H(classes) = ln 2; H(clusters) = −(1/3 ln 1/3 + 2/3 ln 2/3)
        // NMI = MI / ((H(classes) + H(clusters)) / 2) ≈ 0.4787
        var mi = Math.Log(2) / 3 - Math.Log(2) / 6 + Math.Log(1.5) / 2;
        var hClusters = -(Math.Log(1.0 / 3) / 3 + 2 * Math.Log(2.0 / 3) / 3);
        var expected = mi / ((Math.Log(2) + hClusters) / 2);
        Assert.Equal(expected, ClusterMetrics.Nmi(Labels, Clusters), 12);
        Assert.Equal(0.4787, expected, 4);
    }

    [Fact]
    public void NmiIsOneForTheSamePartitionUnderRenamingAndZeroForIndependentOnes()
    {
        Assert.Equal(1.0, ClusterMetrics.Nmi([0, 0, 1, 1], [7, 7, 3, 3]), 12);
        Assert.Equal(0.0, ClusterMetrics.Nmi([0, 0, 1, 1], [0, 1, 0, 1]), 12);
    }

    [Fact]
    public void PairF1MatchesHandComputedValue()
    {
        // Same-class pairs C(3,2)+C(3,2) = 6; same-cluster pairs C(2,2)+C(4,2) = 7;
        // both: C(2,2) + C(1,2) + C(3,2) = 1 + 0 + 3 = 4 → F1 = 2·4/(6+7) = 8/13.
        Assert.Equal(8.0 / 13, ClusterMetrics.PairF1(Labels, Clusters), 12);
    }

    [Fact]
    public void PairF1OfAllSingletonsIsZeroNotNaN()
    {
        Assert.Equal(0.0, ClusterMetrics.PairF1([0, 1, 2], [0, 1, 2]), 12);
    }

    [Fact]
    public void KMeansIsDeterministicForASeedAndFindsSeparatedBlobs()
    {
        var gen = new Generator(11);
        using var noise = randn(new long[] { 30, 4 }, generator: gen).Times(0.05);
        using var centres = tensor(new float[] { 5, 0, 0, 0, 0, 5, 0, 0, 0, 0, 5, 0 }, new long[] { 3, 4 });
        using var three = 3L.ToScalar();
        using var which = TensorOps.Arange(0, 30) % three;
        using var x = centres.index_select(0, which).Plus(noise);
        var a = Clustering.KMeans(x, 3, seed: 1);
        var b = Clustering.KMeans(x, 3, seed: 1);
        Assert.Equal(a, b);
        var truth = which.data<long>().ToArray().Select(v => (int)v).ToArray();
        Assert.Equal(1.0, ClusterMetrics.Nmi(truth, a), 9);
    }
}
