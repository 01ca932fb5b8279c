using VptSp.Core.Evaluation;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Evaluation;

public class NeighbourSearchTests
{
    private static Tensor T(float[][] rows) => Embeddings.ToTensor(rows);

    [Fact]
    public void TiesAtTheCutOffGoToTheLowerIndex()
    {
        // g0, g2, g3 all equal the query (score 1), g1 is orthogonal (score 0).
        using var g = T([[1, 0], [0, 1], [1, 0], [1, 0]]);
        using var q = T([[1, 0]]);
        var (idx2, s2) = NeighbourSearch.TopK(q, g, 2, excludeSelf: false);
        Assert.Equal([0, 2], idx2[0]);
        Assert.Equal([1f, 1f], s2[0]);
        var (idx4, _) = NeighbourSearch.TopK(q, g, 4, excludeSelf: false);
        Assert.Equal([0, 2, 3, 1], idx4[0]);
    }

    [Fact]
    public void TiesInsideTheTopKAreOrderedByIndex()
    {
        // Scores: g0 0, g1 1, g2 0.5, g3 1 → by score, ties by index: g1 g3 g2 g0.
        using var g = T([[0, 1], [1, 0], [0.5f, 0], [1, 0]]);
        using var q = T([[1, 0]]);
        var (idx, _) = NeighbourSearch.TopK(q, g, 4, excludeSelf: false);
        Assert.Equal([1, 3, 2, 0], idx[0]);
    }

    [Fact]
    public void AQueryNeverRetrievesItselfEvenWhenADuplicateExists()
    {
        // Rows 0 and 1 are identical; excluding by index (not by "first column") keeps each from itself.
        using var x = T([[1, 0], [1, 0], [0, 1]]);
        var (idx, scores) = NeighbourSearch.TopK(x, x, 2, excludeSelf: true);
        Assert.Equal([1, 2], idx[0]);
        Assert.Equal([0, 2], idx[1]);
        Assert.Equal([0, 1], idx[2]); // rows 0 and 1 tie at 0 → lower index first
        Assert.Equal(1f, scores[0][0]);
    }

    [Fact]
    public void KIsClampedToTheOtherRows()
    {
        using var x = T([[1, 0], [0, 1], [1, 1]]);
        var (idx, _) = NeighbourSearch.TopK(x, x, 10, excludeSelf: true);
        Assert.All(idx, row => Assert.Equal(2, row.Length));
        Assert.DoesNotContain(0, idx[0]);
    }

    [Fact]
    public void ChunkSizeDoesNotChangeTheResult()
    {
        var gen = new Generator(3);
        using var x = randn(new long[] { 37, 8 }, generator: gen);
        var (a, sa) = NeighbourSearch.TopK(x, x, 5, excludeSelf: true, chunkRows: 1);
        var (b, sb) = NeighbourSearch.TopK(x, x, 5, excludeSelf: true, chunkRows: 16);
        var (c, _) = NeighbourSearch.TopK(x, x, 5, excludeSelf: true, chunkRows: 1000);
        for (var i = 0; i < 37; i++)
        {
            Assert.Equal(a[i], b[i]);
            Assert.Equal(a[i], c[i]);
            for (var j = 0; j < 5; j++) Assert.Equal(sa[i][j], sb[i][j], 1e-4f); // BLAS blocking differs per chunk size
            Assert.DoesNotContain(i, a[i]);
        }
    }

    [Fact]
    public void ChunkedTopKEqualsAFullStableSortOnDataFullOfTies()
    {
        // 60 rows drawn from 4 distinct vectors: every row has many exact ties, across chunk borders.
        float[][] basis = [[1, 0, 0, 0], [0, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1]];
        var rng = new Random(8);
        var rows = Enumerable.Range(0, 60).Select(_ => basis[rng.Next(4)]).ToArray();
        using var x = T(rows);
        var (idx, _) = NeighbourSearch.TopK(x, x, 20, excludeSelf: true, chunkRows: 7);
        using var full = x.mm(x.t());
        var sims = full.data<float>().ToArray();
        for (var i = 0; i < 60; i++)
        {
            var expected = Enumerable.Range(0, 60).Where(j => j != i)
                .OrderByDescending(j => sims[i * 60 + j]).ThenBy(j => j).Take(20).ToArray();
            Assert.Equal(expected, idx[i]);
        }
    }

    [Fact]
    public void MismatchedDimensionsAreRejected()
    {
        using var q = T([[1, 0, 0]]);
        using var g = T([[1, 0]]);
        Assert.Throws<ArgumentException>(() => NeighbourSearch.TopK(q, g, 1, excludeSelf: false));
    }
}
