using VptSp.Core.Inference;

namespace VptSp.Tests.Core.Inference;

public class EmbeddingIndexTests
{
    /// <summary>n unit vectors in dim dimensions from a seeded Gaussian: well separated in 32-D.</summary>
    private static float[][] RandomUnitRows(int n, int dim, int seed)
    {
        var rng = new Random(seed);
        var rows = new float[n][];
        for (var i = 0; i < n; i++)
        {
            var v = new float[dim];
            for (var d = 0; d < dim; d++)
                v[d] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
            var norm = MathF.Sqrt(v.Sum(a => a * a));
            rows[i] = v.Select(a => a / norm).ToArray();
        }
        return rows;
    }

    private static float[] Jitter(float[] v, Random rng, float amount) =>
        v.Select(a => a + amount * (float)(rng.NextDouble() - 0.5)).ToArray();

    [Fact]
    public void ExactSearchReturnsTiedRowsInIndexOrder()
    {
        // Rows 0, 1 and 3 equal the query (score 1); row 2 is orthogonal.
        using var index = new ExactEmbeddingIndex([[1, 0], [2, 0], [0, 1], [1, 0]]);
        var hits = index.Search([3, 0], 2);
        Assert.Equal([0, 1], hits.Select(h => h.Index));
        Assert.All(hits, h => Assert.Equal(1f, h.Score, 1e-6f));
        Assert.Equal([0, 1, 3, 2], index.Search([1, 0], 10).Select(h => h.Index));
    }

    [Fact]
    public void HnswReturnsTheExactTopOneOnAWellSeparatedSet()
    {
        var gallery = RandomUnitRows(500, 32, seed: 1);
        using var hnsw = new HnswEmbeddingIndex(gallery);
        using var exact = new ExactEmbeddingIndex(gallery);
        var rng = new Random(2);
        for (var i = 0; i < gallery.Length; i += 7)
        {
            var q = Jitter(gallery[i], rng, 0.05f);
            var h = hnsw.Search(q, 5);
            var e = exact.Search(q, 5);
            Assert.Equal(i, e[0].Index);
            Assert.Equal(i, h[0].Index);
            Assert.Equal(e[0].Score, h[0].Score, 2e-3f); // f16 storage
        }
        Assert.Equal("hnsw", hnsw.Kind);
        Assert.Equal(500, hnsw.Count);
    }

    [Fact]
    public void HnswFindsEveryRowItself()
    {
        var gallery = RandomUnitRows(400, 24, seed: 9);
        using var hnsw = new HnswEmbeddingIndex(gallery);
        for (var i = 0; i < gallery.Length; i++)
        {
            var top = hnsw.Search(gallery[i], 1);
            Assert.Equal(i, top[0].Index);
            Assert.Equal(1f, top[0].Score, 2e-3f);
        }
    }

    [Fact]
    public void ConcurrentSearchesGiveTheSameResultsAsSequentialOnes()
    {
        var gallery = RandomUnitRows(300, 16, seed: 3);
        using var hnsw = new HnswEmbeddingIndex(gallery);
        using var exact = new ExactEmbeddingIndex(gallery);
        var queries = RandomUnitRows(64, 16, seed: 4);
        foreach (IEmbeddingIndex index in new IEmbeddingIndex[] { hnsw, exact })
        {
            var sequential = queries.Select(q => index.Search(q, 5).Select(h => h.Index).ToArray()).ToArray();
            var parallel = new int[queries.Length][];
            Parallel.For(0, queries.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
                i => parallel[i] = index.Search(queries[i], 5).Select(h => h.Index).ToArray());
            for (var i = 0; i < queries.Length; i++) Assert.Equal(sequential[i], parallel[i]);
        }
    }

    [Fact]
    public void ManyMoreSearchingThreadsThanCoresAllSucceed()
    {
        // USearch has one search context per hardware thread; 16 threads released together by a barrier would
        // overrun them without the index's cap ("Reserve capacity ahead of searches!").
        var gallery = RandomUnitRows(300, 16, seed: 3);
        using var hnsw = new HnswEmbeddingIndex(gallery);
        var queries = RandomUnitRows(16, 16, seed: 6);
        var expected = queries.Select(q => hnsw.Search(q, 5).Select(h => h.Index).ToArray()).ToArray();
        var results = new int[queries.Length][];
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        using var barrier = new Barrier(queries.Length);
        var threads = Enumerable.Range(0, queries.Length).Select(i => new Thread(() =>
        {
            barrier.SignalAndWait();
            try
            {
                for (var r = 0; r < 50; r++) results[i] = hnsw.Search(queries[i], 5).Select(h => h.Index).ToArray();
            }
            catch (Exception ex) { errors.Add(ex); }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(errors);
        for (var i = 0; i < queries.Length; i++) Assert.Equal(expected[i], results[i]);
    }

    [Fact]
    public void FactoryPicksHnswOnlyAboveTheThreshold()
    {
        var gallery = RandomUnitRows(50, 8, seed: 5);
        using var small = EmbeddingIndexFactory.Create(gallery, new EmbeddingIndexOptions { HnswThreshold = 50 });
        using var large = EmbeddingIndexFactory.Create(gallery, new EmbeddingIndexOptions { HnswThreshold = 49 });
        Assert.Equal("exact", small.Kind);
        Assert.Equal("hnsw", large.Kind);
    }

    [Fact]
    public void AQueryOfTheWrongDimensionIsRejected()
    {
        using var index = new ExactEmbeddingIndex([[1, 0], [0, 1]]);
        Assert.Throws<ArgumentException>(() => index.Search([1, 0, 0], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search([1, 0], 0));
    }

    [Fact]
    public void InnerProductIndexKeepsVectorLengths()
    {
        // Inner product, not cosine: the longer row 1 wins although row 0 points the same way as the query.
        using var index = new ExactEmbeddingIndex([[1, 0], [3, 3]], IndexMetric.InnerProduct);
        var hits = index.Search([1, 0], 2);
        Assert.Equal([1, 0], hits.Select(h => h.Index));
        Assert.Equal(3f, hits[0].Score, 1e-6f);
    }
}
