using VptSp.Core.Data.Loading;

namespace VptSp.Tests.Core.Data;

public class RandomClassSamplerTests
{
    // 10 classes × 5 images = 50 samples, labels 0,0,0,0,0,1,…
    private static readonly int[] Labels = Enumerable.Range(0, 50).Select(i => i / 5).ToArray();

    [Fact]
    public void EpochHasNOverBBatchesOfDistinctClassesGroupedKEach()
    {
        var sampler = new RandomClassSampler(Labels, batchSize: 12, samplesPerClass: 3, seed: 1);
        var batches = sampler.Epoch(0);
        Assert.Equal(4, batches.Length); // 50 / 12
        foreach (var batch in batches)
        {
            Assert.Equal(12, batch.Length);
            var groups = batch.Chunk(3).ToList();
            foreach (var g in groups)
            {
                Assert.Single(g.Select(i => Labels[i]).Distinct()); // grouped by class
                Assert.Equal(3, g.Distinct().Count());               // no repeated image: classes have 5
            }
            Assert.Equal(4, groups.Select(g => Labels[g[0]]).Distinct().Count()); // 4 distinct classes
        }
    }

    [Fact]
    public void SameSeedAndEpochGiveSameBatchesAndNextEpochDiffers()
    {
        var a = new RandomClassSampler(Labels, 12, 3, seed: 7);
        var b = new RandomClassSampler(Labels, 12, 3, seed: 7);
        Assert.Equal(a.Epoch(2), b.Epoch(2));
        Assert.NotEqual(a.Epoch(2), a.Epoch(3));
        // seed + epoch: (seed 7, epoch 3) is (seed 8, epoch 2)
        Assert.Equal(a.Epoch(3), new RandomClassSampler(Labels, 12, 3, seed: 8).Epoch(2));
    }

    [Fact]
    public void FewerClassesThanABatchNeedsStillGivesBatchesGroupedByClass()
    {
        // 2 classes × 4 images, B = 8, k = 2: four class slots from two classes → each class twice, i.e. 4 images in one run
        var labels = new[] { 0, 0, 0, 0, 1, 1, 1, 1 };
        var sampler = new RandomClassSampler(labels, batchSize: 8, samplesPerClass: 2, seed: 5);
        foreach (var epoch in Enumerable.Range(0, 20))
        {
            var batch = sampler.Epoch(epoch)[0];
            var runs = batch.Select(i => labels[i]).Aggregate(new List<int>(), (acc, l) => { if (acc.Count == 0 || acc[^1] != l) acc.Add(l); return acc; });
            Assert.Equal(runs.Count, runs.Distinct().Count()); // no class appears in two separate runs
            Assert.Equal(8, batch.Length);
        }
    }

    [Fact]
    public void ClassWithFewerImagesThanKRepeatsAllOfThem()
    {
        var drawn = RandomClassSampler.Draw([4, 9], 5, new Random(3));
        // 5 from 2: both twice plus one more
        Assert.Equal(5, drawn.Length);
        Assert.True(drawn.Count(x => x == 4) >= 2 && drawn.Count(x => x == 9) >= 2);
    }

    [Fact]
    public void BatchSizeNotDivisibleBySamplesPerClassIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RandomClassSampler(Labels, 10, 3, 0));
        Assert.Contains("divide", ex.Message);
    }
}
