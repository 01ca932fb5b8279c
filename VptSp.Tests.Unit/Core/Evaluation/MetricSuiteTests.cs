using VptSp.Core.Evaluation;
using static VptSp.Tests.Core.Evaluation.HandExamples;

namespace VptSp.Tests.Core.Evaluation;

public class MetricSuiteTests
{
    private static readonly MetricSuiteOptions NoClustering = MetricSuiteOptions.Default with { Clustering = false };

    [Fact]
    public void RecallAtKMatchesHandComputedValues()
    {
        var m = MetricSuite.Evaluate(Circle, CircleLabels, NoClustering);
        // Rankings in HandExamples.Circle.
        // @1: i0 A✓ i1 A✓ i2 B✗(A) i3 A✗(B) i4 B✗(A) i5 C✗ → 2/6
        Assert.Equal(2.0 / 6, m["recall@1"], 12);
        // @2: i3 (B,A)✓ and i4 (A,B)✓ join → 4/6
        Assert.Equal(4.0 / 6, m["recall@2"], 12);
        // @4: i2 (A,A,A,B)✓ joins; the singleton i5 can never hit → 5/6
        Assert.Equal(5.0 / 6, m["recall@4"], 12);
        Assert.Equal(5.0 / 6, m["recall@8"], 12);
    }

    [Fact]
    public void MapAtRLeavesOutQueriesWithoutOtherSamplesOfTheirClass()
    {
        var m = MetricSuite.Evaluate(Circle, CircleLabels, NoClustering);
        // R = class size − 1: A → 2, B → 1, C → 0 (i5 left out).
        // i0: A B → (1/1)/2 = 0.5;  i1: A B → 0.5;  i2: A → 0;  i3: B A → (1/2)/2 = 0.25;  i4: A → 0
        // map@r = (0.5 + 0.5 + 0 + 0.25 + 0) / 5 = 0.25
        Assert.Equal(0.25, m["map@r"], 12);
    }

    [Fact]
    public void ReferenceMapAtRDividesByTheClassSizeAndCountsSingletonsAsZero()
    {
        var m = MetricSuite.Evaluate(Circle, CircleLabels, NoClustering);
        // R' = class size including the query: A → 3, B → 2, C → 1.
        // i0: A B A → (1 + 2/3)/3 = 5/9;  i1: same 5/9;  i2: A A → 0;
        // i3: B A A → (1/2 + 2/3)/3 = 7/18;  i4: A B → (1/2)/2 = 1/4;  i5: B → 0
        // sum = 10/18 + 10/18 + 7/18 + 1/4 = 1.75 → / 6 queries
        Assert.Equal(1.75 / 6, m["map@r_ref"], 12);
    }

    [Fact]
    public void PerfectEmbeddingsScoreOneOnMapAtRButBelowOneOnTheReferenceVariant()
    {
        // Two tight classes of two: every query's one other class member is its nearest neighbour.
        float[][] x = [[1, 0], [0.99f, 0.1f], [0, 1], [0.1f, 0.99f]];
        int[] y = [0, 0, 1, 1];
        var m = MetricSuite.Evaluate(x, y, NoClustering);
        Assert.Equal(1.0, m["map@r"], 12);
        // Reference: R' = 2, ranks A then B → (1/1)/2 = 0.5 for every query.
        Assert.Equal(0.5, m["map@r_ref"], 12);
        Assert.Equal(1.0, m["recall@1"], 12);
    }

    [Fact]
    public void ReferenceMapAt1000ScoresTheFirst1000NeighboursAndDividesByTheClassSize()
    {
        var m = MetricSuite.Evaluate(Circle, CircleLabels, NoClustering with { MapAt1000 = true, CosineMapAt1000 = true });
        // Fewer than 1000 neighbours: all five are scored. Divisor = class size including the query (A 3, B 2, C 1).
        // i0: A B A B C → (1 + 2/3)/3 = 5/9;  i1: 5/9;  i2: A A A B C → (1/4)/2 = 1/8;
        // i3: B A A B C → (1/2 + 2/3)/3 = 7/18;  i4: A B A A C → (1/2)/2 = 1/4;  i5: no hit → 0
        // sum = 27/18 + 1/8 + 1/4 = 1.875 → / 6 = 0.3125
        Assert.Equal(0.3125, m["map@1000"], 12);
        Assert.Equal(m["map@1000"], m["c_map@1000"], 12); // cosine and L2 neighbours agree on unit vectors
    }

    [Fact]
    public void ReferenceMapAtADepthIgnoresHitsBelowIt()
    {
        int[] ranked = [0, 1, 0, 0];
        // depth 2: one hit at rank 1 → 1/3 for a class of 3; depth 4 adds 2/3 and 3/4.
        Assert.Equal(1.0 / 3, RetrievalMetrics.ReferenceMapAt(0, ranked, 3, 2), 12);
        Assert.Equal((1 + 2.0 / 3 + 3.0 / 4) / 3, RetrievalMetrics.ReferenceMapAt(0, ranked, 3, 4), 12);
    }

    [Fact]
    public void KMeansDefaultsAreTheReferencesFaissSettings()
    {
        var o = MetricSuiteOptions.Default;
        Assert.Equal(1234, o.KMeansSeed);
        Assert.Equal(20, o.KMeansIterations);
        Assert.Equal(KMeansInit.FaissRandom, o.KMeansInit);
    }

    [Fact]
    public void EmbeddingsAreL2NormalisedBeforeSearch()
    {
        // Scaling a row must not change anything: i0 ×10 and i3 ×0.1.
        var scaled = Circle.Select((r, i) => r.Select(v => v * (i == 0 ? 10f : i == 3 ? 0.1f : 1f)).ToArray()).ToArray();
        var a = MetricSuite.Evaluate(Circle, CircleLabels, NoClustering);
        var b = MetricSuite.Evaluate(scaled, CircleLabels, NoClustering);
        foreach (var key in a.Keys) Assert.Equal(a[key], b[key], 6);
    }

    [Fact]
    public void KeysComeInTheDocumentedOrder()
    {
        var m = MetricSuite.Evaluate(Circle, CircleLabels);
        Assert.Equal(["recall@1", "recall@2", "recall@4", "recall@8", "map@r", "map@r_ref", "nmi", "f1"], m.Keys.ToArray());
        var sop = MetricSuite.Evaluate(Circle, CircleLabels, MetricSuiteOptions.Sop);
        Assert.Equal(["recall@1", "recall@10", "recall@100", "map@r", "map@r_ref"], sop.Keys.ToArray());
        var all = MetricSuite.Evaluate(Circle, CircleLabels, MetricSuiteOptions.Default with { MapAt1000 = true, CosineMapAt1000 = true });
        Assert.Equal(["recall@1", "recall@2", "recall@4", "recall@8", "map@r", "map@r_ref", "map@1000", "c_map@1000", "nmi", "f1"], all.Keys.ToArray());
    }

    [Fact]
    public void WellSeparatedClassesClusterPerfectly()
    {
        // Three classes of four points around three orthogonal axes: k-means (k = 3) finds them.
        var rng = new Random(5);
        var rows = new List<float[]>();
        var labels = new List<int>();
        for (var c = 0; c < 3; c++)
            for (var i = 0; i < 4; i++)
            {
                var v = new float[3];
                v[c] = 1;
                for (var d = 0; d < 3; d++) v[d] += (float)(rng.NextDouble() * 0.05);
                rows.Add(v);
                labels.Add(c);
            }
        var m = MetricSuite.Evaluate(rows, labels);
        Assert.Equal(1.0, m["nmi"], 9);
        Assert.Equal(1.0, m["f1"], 9);
        Assert.Equal(1.0, m["recall@1"], 12);
    }

    [Fact]
    public void LabelCountMustMatchRows()
    {
        Assert.Throws<ArgumentException>(() => MetricSuite.Evaluate(Circle, [0, 1], NoClustering));
    }
}
