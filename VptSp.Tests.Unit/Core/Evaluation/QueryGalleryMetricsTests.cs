using VptSp.Core.Evaluation;

namespace VptSp.Tests.Core.Evaluation;

public class QueryGalleryMetricsTests
{
    // Gallery: g0 (1,0) L1, g1 (0,1) L2, g2 (1,0) L2, g3 (−1,0) L1, g4 (0.6,0.8) L3.
    private static readonly float[][] Gallery = [[1, 0], [0, 1], [1, 0], [-1, 0], [0.6f, 0.8f]];
    private static readonly int[] GalleryLabels = [1, 2, 2, 1, 3];

    // Queries (different images from the gallery; nothing is excluded):
    //   q0 (1,0) L2: scores g0 1, g1 0, g2 1, g3 −1, g4 0.6 → ranking g0 g2 g4 g1 g3 (g0/g2 tie → g0 first)
    //        labels 1 2 3 2 1: relevant at ranks 2, 4 → AP = (1/2 + 2/4)/2 = 0.5
    //   q1 (0,1) L1: scores g0 0, g1 1, g2 0, g3 0, g4 0.8 → ranking g1 g4 g0 g2 g3
    //        labels 2 3 1 2 1: relevant at ranks 3, 5 → AP = (1/3 + 2/5)/2 = 11/30
    //   q2 (0,−1) L9: no relevant gallery item → miss, AP 0
    private static readonly float[][] Queries = [[1, 0], [0, 1], [0, -1]];
    private static readonly int[] QueryLabels = [2, 1, 9];

    [Fact]
    public void QueryGalleryRecallMatchesHandComputedValues()
    {
        var m = MetricSuite.EvaluateQueryGallery(Queries, QueryLabels, Gallery, GalleryLabels, [1, 2, 3, 10]);
        Assert.Equal(0.0, m["recall@1"], 12);       // first hits at ranks 2 and 3
        Assert.Equal(1.0 / 3, m["recall@2"], 12);   // q0
        Assert.Equal(2.0 / 3, m["recall@3"], 12);   // q0, q1; q2 never
        Assert.Equal(2.0 / 3, m["recall@10"], 12);  // K beyond the gallery size
    }

    [Fact]
    public void MapAveragesPrecisionOverTheWholeGalleryRankingWithTiesToTheLowerIndex()
    {
        var m = MetricSuite.EvaluateQueryGallery(Queries, QueryLabels, Gallery, GalleryLabels);
        // (0.5 + 11/30 + 0) / 3 = 26/90. Had the g0/g2 tie of q1 gone the other way its relevant ranks
        // would be 4, 5 and AP (1/4 + 2/5)/2; had q0's tie gone to g2 its AP would be (1 + 2/4)/2.
        Assert.Equal(26.0 / 90, m["map"], 6);
    }

    [Fact]
    public void DefaultKeysAreInShopRecallsThenMap()
    {
        var m = MetricSuite.EvaluateQueryGallery(Queries, QueryLabels, Gallery, GalleryLabels);
        Assert.Equal(["recall@1", "recall@10", "recall@20", "recall@30", "recall@40", "recall@50", "map", "map@50_ref"], m.Keys.ToArray());
    }

    [Fact]
    public void ReferenceMapRanksOnlyTheTopKmaxAndDividesByTheHitsFoundThere()
    {
        // K = 1, 3 → the reference ranks the top 3 only.
        //   q0 top 3 labels 1 2 3 (query 2): hit at 2 → (1/2)/1 = 1/2   (standard AP 1/2)
        //   q1 top 3 labels 2 3 1 (query 1): hit at 3 → (1/3)/1 = 1/3   (standard AP 11/30: its hit at rank 5 counts)
        //   q2: no hit → 0
        var m = MetricSuite.EvaluateQueryGallery(Queries, QueryLabels, Gallery, GalleryLabels, [1, 3]);
        Assert.Equal((0.5 + 1.0 / 3) / 3, m["map@3_ref"], 12);
        Assert.Equal(26.0 / 90, m["map"], 6);
        // With the In-Shop K (top 50 ⊇ the whole 5-item gallery) every hit is found: q0 1/2, q1 11/30 as standard AP.
        var full = MetricSuite.EvaluateQueryGallery(Queries, QueryLabels, Gallery, GalleryLabels);
        Assert.Equal(26.0 / 90, full["map@50_ref"], 6);
    }

    [Fact]
    public void TopRankedAveragePrecisionDividesByHitsFoundNotByAllRelevantItems()
    {
        // hits at ranks 2 and 4 of the listed top: (1/2 + 2/4) / 2 = 1/2, whatever lies below the list.
        Assert.Equal(0.5, RetrievalMetrics.TopRankedAveragePrecision(7, [1, 7, 2, 7]), 12);
        Assert.Equal(0.0, RetrievalMetrics.TopRankedAveragePrecision(7, [1, 2]), 12);
    }

    [Fact]
    public void QueryAndGalleryDimensionsMustAgree()
    {
        Assert.Throws<ArgumentException>(() =>
            MetricSuite.EvaluateQueryGallery([[1f, 0f, 0f]], [1], Gallery, GalleryLabels));
    }
}
