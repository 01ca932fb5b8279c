using VptSp.Core.Data.Images;

namespace VptSp.Tests.Core.Data;

public sealed class ItemRandomTests
{
    [Fact]
    public void SeedZeroGivesTheReferenceSplitMix64Stream()
    {
        // SplitMix64 from state 0 (Vigna's reference; recomputed with a separate Python implementation)
        var r = new ItemRandom(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, r.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, r.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, r.NextUInt64());
    }

    [Fact]
    public void DoublesAndBoundedIntsComeFromTheTopBitsOfTheStream()
    {
        // seed 7: state 7·0x9E3779B97F4A7C15, first output 0xC584133AC916AB3C (Python) → 0.771546556331567 and ⌊0xC584133A·10 / 2³²⌋ = 7
        Assert.Equal(0.771546556331567, new ItemRandom(7).NextDouble(), 14);
        Assert.Equal(7, new ItemRandom(7).Next(10));
        Assert.Equal(17, new ItemRandom(7).Next(10, 20));
    }

    [Fact]
    public void ForItemReseedsTheThreadsGeneratorSoEveryThreadDrawsTheSameValues()
    {
        var expected = Enumerable.Range(0, 8).Select(_ => 0.0).ToArray();
        var first = ItemRandom.ForItem(42);
        for (var i = 0; i < expected.Length; i++) expected[i] = first.NextDouble();
        Assert.Same(first, ItemRandom.ForItem(1));

        var fromOtherThreads = new double[4][];
        Parallel.For(0, 4, t =>
        {
            ItemRandom.ForItem(t).NextDouble(); // leave the thread's generator somewhere else first
            var r = ItemRandom.ForItem(42);
            fromOtherThreads[t] = Enumerable.Range(0, expected.Length).Select(_ => r.NextDouble()).ToArray();
        });
        Assert.All(fromOtherThreads, draws => Assert.Equal(expected, draws));
    }

    [Fact]
    public void DrawsStayInRangeAndAreRoughlyUniform()
    {
        var r = new ItemRandom(3);
        var counts = new int[10];
        double sum = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var d = r.NextDouble();
            Assert.InRange(d, 0.0, 0.9999999999999999);
            sum += d;
            counts[r.Next(10)]++;
            Assert.InRange(r.Next(-3, 4), -3, 3);
        }
        Assert.InRange(sum / 100_000, 0.495, 0.505);
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500)); // expected 10,000 ± 3σ (σ ≈ 95)
        Assert.Throws<ArgumentOutOfRangeException>(() => r.Next(-1));
    }
}
