using System.Text.Json;
using VptSp.Core.Evaluation;
using VptSp.Tests.Support;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Evaluation;

/// <summary>
/// k-means against faiss itself: VptSp.Tests.Support/Fixtures/KMeans/faiss_kmeans.json was written by tools/faiss-kmeans/make_fixture.py with
/// faiss's Clustering set up as the reference sets it up (20 iterations, seed 1234, min 1 point per centroid, no
/// subsampling), labels = nearest final centroid.
/// </summary>
public class FaissKMeansTests
{
    private sealed record Case(string Name, int K, float[][] Data, int[] Assignments, float[][] Centroids, int[] SplitsPerIteration);

    private static IReadOnlyList<Case> Cases()
    {
        var path = Path.Combine(TestPaths.FixturesDir, "KMeans", "faiss_kmeans.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        static float[][] Rows(JsonElement e) => e.EnumerateArray().Select(r => r.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray()).ToArray();
        static int[] Ints(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Case(
            c.GetProperty("name").GetString()!, c.GetProperty("k").GetInt32(), Rows(c.GetProperty("data")),
            Ints(c.GetProperty("assignments")), Rows(c.GetProperty("centroids")), Ints(c.GetProperty("splits_per_iteration")))).ToList();
    }

    private static Case Get(string name) => Cases().Single(c => c.Name == name);

    [Theory]
    [InlineData("blobs")]
    [InlineData("overlap")]
    [InlineData("duplicates")]
    public void KMeansReproducesFaissAssignmentsAndCentroids(string name)
    {
        var c = Get(name);
        using var x = Embeddings.ToTensor(c.Data);
        var result = Clustering.Fit(x, c.K);
        Assert.Equal(c.Assignments, result.Assignments);
        for (var i = 0; i < c.K; i++)
            for (var j = 0; j < c.Centroids[i].Length; j++)
                Assert.True(Math.Abs(c.Centroids[i][j] - result.Centroids[i][j]) <= 1e-5 * Math.Max(1, Math.Abs(c.Centroids[i][j])),
                    $"{name}: centroid {i}[{j}] is {result.Centroids[i][j]}, faiss {c.Centroids[i][j]}");
        // faiss reports every one of its 20 iterations; ours stops once the assignment repeats (a fixed point).
        Assert.Equal(c.SplitsPerIteration.Take(result.SplitsPerIteration.Length), result.SplitsPerIteration);
    }

    [Fact]
    public void TheFixtureTellsFaissInitialisationFromKMeansPlusPlus()
    {
        // Without faiss's seeded random start the overlapping case ends in another local optimum.
        var c = Get("overlap");
        using var x = Embeddings.ToTensor(c.Data);
        Assert.NotEqual(c.Assignments, Clustering.Fit(x, c.K, init: KMeansInit.PlusPlus).Assignments);
        Assert.NotEqual(c.Assignments, Clustering.Fit(x, c.K, seed: 99).Assignments);
    }

    [Fact]
    public void EmptyClustersAreSplitTheFaissWayNotLeftInPlace()
    {
        // 14 copies of one point among 26: several initial centres coincide, so clusters come out empty each iteration.
        var c = Get("duplicates");
        Assert.True(c.SplitsPerIteration[0] > 0);
        using var x = Embeddings.ToTensor(c.Data);
        var result = Clustering.Fit(x, c.K);
        Assert.Equal(c.SplitsPerIteration[0], result.SplitsPerIteration[0]);
        Assert.Equal(c.Assignments, result.Assignments);
    }

    [Fact]
    public void MersenneTwisterMatchesTheCppStandardCheckValue()
    {
        // [rand.predef]: the 10000th consecutive draw of a default-constructed std::mt19937 (seed 5489) is 4123659995.
        var mt = new Mt19937(5489);
        uint last = 0;
        for (var i = 0; i < 10000; i++) last = mt.Next();
        Assert.Equal(4123659995u, last);
    }

    [Fact]
    public void RandFloatDividesByTwoToThe32AfterRoundingToFloat()
    {
        // faiss rand_float = mt() / float(mt.max()); float(2³² − 1) rounds to 2³².
        var a = new Mt19937(1234);
        var b = new Mt19937(1234);
        var draw = a.Next();
        Assert.Equal((float)draw / 4294967296f, b.NextFloat());
    }

    [Fact]
    public void RandomPermutationIsAFisherYatesShuffleDrivenByTheTwister()
    {
        // n = 3, seed 7: i = 0 swaps with 0 + draw₁ mod 3, i = 1 with 1 + draw₂ mod 2.
        var mt = new Mt19937(7);
        var p = new[] { 0, 1, 2 };
        var j = (int)(mt.Next() % 3);
        (p[0], p[j]) = (p[j], p[0]);
        j = 1 + (int)(mt.Next() % 2);
        (p[1], p[j]) = (p[j], p[1]);
        Assert.Equal(p, Clustering.RandomPermutation(3, 7));
    }

    [Fact]
    public void KMeansOnAsManyRowsAsClustersMakesEveryRowItsOwnCluster()
    {
        using var x = tensor(new float[] { 0, 0, 1, 1, 5, 5 }, new long[] { 3, 2 });
        Assert.Equal([0, 1, 2], Clustering.KMeans(x, 3));
    }

    [Fact]
    public void KMeansRejectsNonFiniteInput()
    {
        using var x = tensor(new float[] { 0, float.NaN, 1, 1, 5, 5 }, new long[] { 3, 2 });
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => Clustering.KMeans(x, 2)).Message);
    }
}
