using VptSp.Core.Training;

namespace VptSp.Tests.Core.Training;

public sealed class LttbTests
{
    [Fact]
    public void KeepsFirstAndLastAndTheHandComputedTriangleMaxima()
    {
        // x = 0…6, threshold 4: buckets {1, 2} and {3, 4, 5}. Bucket 1 against (0, 0) and the mean (4, −1) of bucket 2:
        // doubled areas 5 (x = 1) and 22 (x = 2) → 2. Bucket 2 against (2, 5) and the last point (6, 0): 11, 10, 21 → 5.
        double[] x = [0, 1, 2, 3, 4, 5, 6];
        double[] y = [0, 1, 5, 1, 0, -4, 0];
        Assert.Equal([0, 2, 5, 6], Lttb.Select(x, y, 4));
    }

    [Fact]
    public void ALongCurveComesDownToTheThresholdWithItsSpikeKept()
    {
        var x = Enumerable.Range(0, 10_000).Select(i => (double)i).ToArray();
        var y = x.Select(v => v == 7_777 ? 100.0 : Math.Sin(v / 300)).ToArray();
        var kept = Lttb.Select(x, y, 800);
        Assert.Equal(800, kept.Count);
        Assert.Equal((0, 9_999), (kept[0], kept[^1]));
        Assert.Contains(7_777, kept);
        Assert.True(kept.Zip(kept.Skip(1)).All(p => p.First < p.Second));
    }

    [Fact]
    public void ASeriesNoLongerThanTheThresholdIsKeptWhole()
    {
        Assert.Equal([0, 1, 2], Lttb.Select([0, 1, 2], [3, 1, 2], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Lttb.Select([0, 1, 2], [3, 1, 2], 2));
    }
}
