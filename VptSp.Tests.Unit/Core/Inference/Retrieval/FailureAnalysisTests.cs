using VptSp.Core.Inference.Retrieval;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Inference.Retrieval;

public class FailureAnalysisTests
{
    [Fact]
    public void FailureAnalysisMatchesHandComputedRanksAndRecall()
    {
        // unit vectors at 0°, 10°, 90°, 95°, 20°; classes a a b b b.
        float[] At(double deg) => [(float)Math.Cos(deg * Math.PI / 180), (float)Math.Sin(deg * Math.PI / 180)];
        var rows = new[] { At(0), At(10), At(90), At(95), At(20) };
        using var e = tensor(rows.SelectMany(r => r).ToArray(), new long[] { 5, 2 });
        int[] labels = [0, 0, 1, 1, 1];
        var report = FailureAnalysis.Analyse(e, labels, e, labels, ["a", "b"], queriesAreGallery: true, neighbours: 2);

        // query 0 (0°): nearest 1 (10°, a) → hit.   query 1 (10°): 0 and 4 both 10° away; a tie with a class-mate counts as a hit.
        // query 2 (90°) → 3, query 3 (95°) → 2: hits.   query 4 (20°, b): 1 (10° away, a) and 0 (20°, a) come before
        // its nearest class-mate 2 (70° away) → first correct rank 3.  R@1: a 2/2, b 2/3, all 4/5.
        var a = report.Classes.Single(c => c.ClassName == "a");
        var b = report.Classes.Single(c => c.ClassName == "b");
        Assert.Equal(1.0, a.RecallAt1, 9);
        Assert.Equal(2.0 / 3, b.RecallAt1, 9);
        Assert.Equal(4.0 / 5, report.RecallAt1, 9);
        Assert.Equal(["b", "a"], report.Classes.Select(c => c.ClassName));   // worst class first
        var failed = Assert.Single(b.Worst);
        Assert.Equal(4, failed.QueryIndex);
        Assert.Equal(3, failed.FirstCorrectRank);                              // 1 (10° away) and 0 (20°) score above 2 (70°)
        Assert.Equal(Math.Cos(70 * Math.PI / 180), failed.BestCorrectScore, 5);
        Assert.Equal([1, 0], failed.Neighbours.Select(n => n.Index));
        Assert.All(failed.Neighbours, n => Assert.False(n.Correct));
        Assert.Empty(a.Worst);
    }
}
