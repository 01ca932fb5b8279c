using SixLabors.ImageSharp.PixelFormats;
using VptSp.Core.Data;
using VptSp.Core.Data.Images;
using VptSp.Core.Data.Loading;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Data;

public class LoaderTests
{
    private static readonly Normalization Norm = new([0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]);

    /// <summary>6 classes × 4 PNGs of 20×16, gradients in R and G, blue fixed at 100.</summary>
    private static DatasetSplit MakeSplit(TempDir dir)
    {
        var groups = new List<(string, IReadOnlyList<string>)>();
        for (var c = 0; c < 6; c++)
        {
            var paths = new List<string>();
            for (var i = 0; i < 4; i++)
                paths.Add(DataFixtures.GradientPng(dir.Combine($"c{c}", $"{i}.png"), 20, 16, blue: 100, offset: 7 * c + i));
            groups.Add(($"c{c}", paths));
        }
        return DatasetSplit.FromGroups("train", groups);
    }

    [Fact]
    public void TrainBatchesAreContiguousNchwFloatWithInt64LabelsGroupedByClass()
    {
        using var dir = new TempDir();
        var split = MakeSplit(dir);
        var loader = new TrainLoader(split, new TrainTransform(8, Norm), new LoaderOptions { BatchSize = 8, SamplesPerClass = 2, Seed = 3 });
        var count = 0;
        foreach (var batch in loader.Epoch(0))
        {
            using (batch)
            {
                count++;
                Assert.Equal(new long[] { 8, 3, 8, 8 }, batch.Images.shape);
                Assert.Equal(ScalarType.Float32, batch.Images.dtype);
                Assert.True(batch.Images.is_contiguous());
                Assert.Equal(ScalarType.Int64, batch.Labels.dtype);
                var labels = batch.Labels.data<long>().ToArray();
                Assert.Equal(batch.Indices.Select(i => (long)split.Samples[i].Label), labels);
                for (var g = 0; g < 8; g += 2) Assert.Equal(labels[g], labels[g + 1]);
                // blue is 100 everywhere in every image: after any crop/resize it stays (100/255 − .5)/.25
                Assert.Equal((100f / 255 - 0.5f) / 0.25f, batch.Images[0, 2, 3, 3].item<float>(), 3);
            }
        }
        Assert.Equal(3, count); // 24 / 8
    }

    [Fact]
    public void TrainLoaderGivesIdenticalBatchesWithNoneOneOrManyWorkersCachedOrNot()
    {
        using var dir = new TempDir();
        var split = MakeSplit(dir);
        // gradient images: crops and flips change the pixels, so worker timing or the cache would show
        var t = new TrainTransform(8, Norm);
        float[] Run(int workers, DecodedImageCache? cache, int epoch)
        {
            var loader = new TrainLoader(split, t, new LoaderOptions { BatchSize = 8, SamplesPerClass = 2, Seed = 11, Workers = workers }, cache);
            var all = new List<float>();
            foreach (var b in loader.Epoch(epoch)) using (b) all.AddRange(b.Images.data<float>().ToArray());
            return all.ToArray();
        }
        var single = Run(1, null, 0);
        var cache = new DecodedImageCache(1 << 20);
        Assert.Equal(single, Run(2, cache, 0));
        Assert.Equal(single, Run(4, cache, 0)); // now served from the cache
        Assert.Equal(single, Run(0, null, 0));  // no workers: made in the consumer's thread, same pixels
        Assert.True(cache.Count > 0);
        Assert.NotEqual(single, Run(2, null, 1));
        Assert.NotEqual(single, Run(1, null, 0).Select((v, i) => i % 64 == 0 ? v + 1 : v).ToArray()); // the comparison is sensitive
    }

    [Fact]
    public void EvalLoaderVisitsEverySampleOnceInOrderWithAPartialLastBatch()
    {
        using var dir = new TempDir();
        var split = MakeSplit(dir);
        var loader = new EvalLoader(split, new EvalTransform(8, Norm), new LoaderOptions { BatchSize = 10, Workers = 2 });
        Assert.Equal(3, loader.BatchCount);
        var sizes = new List<int>();
        var indices = new List<int>();
        foreach (var b in loader.Batches()) using (b) { sizes.Add((int)b.Images.shape[0]); indices.AddRange(b.Indices); }
        Assert.Equal(new[] { 10, 10, 4 }, sizes);
        Assert.Equal(Enumerable.Range(0, 24), indices);
    }

    [Fact]
    public void StoppingEarlyEndsTheProducerWithoutHanging()
    {
        using var dir = new TempDir();
        var split = MakeSplit(dir);
        var loader = new EvalLoader(split, new EvalTransform(8, Norm), new LoaderOptions { BatchSize = 2, Prefetch = 1 });
        var first = loader.Batches().First();
        first.Dispose();
        Assert.Equal(2, first.Count);
    }

    [Fact]
    public void ImageBrokenAfterReadingBecomesBlankAndIsCounted()
    {
        using var dir = new TempDir();
        var split = MakeSplit(dir);
        File.WriteAllText(split.Samples[0].Path, "garbage");
        var loader = new EvalLoader(split, new EvalTransform(8, Norm), new LoaderOptions { BatchSize = 4 });
        using var b = loader.Batches().First();
        Assert.Equal(1, loader.FailedImages);
        Assert.Equal(0f, b.Images[0].abs().sum().item<float>());
    }

    [Fact]
    public void CacheStopsAddingAtItsBudget()
    {
        using var dir = new TempDir();
        var split = MakeSplit(dir);
        // each 20×16 RGB image is 960 bytes: a 2,000-byte budget holds two
        var cache = new DecodedImageCache(2000);
        foreach (var s in split.Samples.Take(5)) cache.Get(s.Path);
        Assert.Equal(2, cache.Count);
        Assert.Equal(1920, cache.UsedBytes);
    }

    [Fact]
    public void CacheDownscalesLargeImagesToItsShortSideOnce()
    {
        using var dir = new TempDir();
        var path = DataFixtures.Jpeg(dir.Combine("big.jpg"), 500, 375);
        var cache = new DecodedImageCache(10 << 20);
        var img = cache.Get(path, 256);
        Assert.Equal((341, 256), (img.Width, img.Height)); // int(256·500/375)
        Assert.Same(img, cache.Get(path, 256));
    }
}

/// <summary>Process memory is process-wide: this runs alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(LoaderMemoryTests), DisableParallelization = true)]
public sealed class LoaderMemoryCollection;

[Collection(nameof(LoaderMemoryTests))]
public class LoaderMemoryTests
{
    [Fact]
    public void ManyDisposedBatchesDoNotGrowProcessMemory()
    {
        using var dir = new TempDir();
        var paths = Enumerable.Range(0, 8).Select(i => DataFixtures.GradientPng(dir.Combine($"c{i % 4}", $"{i}.png"), 20, 16, 9, i)).ToList();
        var split = DatasetSplit.FromGroups("train", paths.GroupBy(p => Path.GetFileName(Path.GetDirectoryName(p))!)
            .Select(g => (g.Key, (IReadOnlyList<string>)g.ToList())));
        // 4 × 3 × 96 × 96 floats ≈ 442 kB per batch: 600 leaked batches would be ≈ 265 MB
        var loader = new TrainLoader(split, new TrainTransform(96, new Normalization([0f, 0f, 0f], [1f, 1f, 1f])),
            new LoaderOptions { BatchSize = 4, SamplesPerClass = 2, Workers = 2 }, new DecodedImageCache(1 << 20));
        long Measure()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return System.Diagnostics.Process.GetCurrentProcess().WorkingSet64;
        }
        void Epochs(int from, int count)
        {
            for (var e = from; e < from + count; e++)
                foreach (var b in loader.Epoch(e)) using (b) { }
        }
        Epochs(0, 50); // warm-up: JIT, pools, cache
        var before = Measure();
        Epochs(50, 300); // 2 batches per epoch → 600 batches
        var grown = (Measure() - before) / (1024.0 * 1024.0);
        Assert.True(grown < 60, $"process memory grew {grown:F0} MB over 600 batches");
    }
}

public class TrainCropSourceTests
{
    private static readonly Normalization Norm = new([0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]);

    [Fact]
    public void RandomCropsAreTakenFromTheOriginalResolutionImageAndEvalImagesMayBeShrunkFirst()
    {
        Assert.Null(DecodedImageCache.ShortSideFor(new TrainTransform(224, Norm)));
        Assert.Equal(256, DecodedImageCache.ShortSideFor(new EvalTransform(224, Norm)));
    }

    [Fact]
    public void EvalImagesShrunkOnceInTheCacheGiveExactlyThePixelsOfTheOriginal()
    {
        using var dir = new TempDir();
        var path = DataFixtures.GradientPng(dir.Combine("photo.png"), 500, 375, blue: 30);
        var original = SafeImageLoader.Shared.LoadRgb(path);
        var eval = new EvalTransform(224, Norm);
        var direct = new float[3 * 224 * 224];
        eval.Apply(original, new Random(0), direct);
        var cache = new DecodedImageCache(10 << 20);
        var shrunk = cache.Get(path, DecodedImageCache.ShortSideFor(eval));
        Assert.Equal((341, 256), (shrunk.Width, shrunk.Height));
        var viaCache = new float[3 * 224 * 224];
        eval.Apply(shrunk, new Random(0), viaCache);
        Assert.Equal(direct, viaCache);
        Assert.Equal((500, 375), (cache.Get(path).Width, cache.Get(path).Height)); // the same file at original size is its own entry
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void TrainLoaderOutputIsTheTrainTransformOfTheOriginalImageCachedOrNot()
    {
        using var dir = new TempDir();
        var groups = Enumerable.Range(0, 2).Select(c => ($"c{c}", (IReadOnlyList<string>)Enumerable.Range(0, 2)
            .Select(i => DataFixtures.GradientPng(dir.Combine($"c{c}", $"{i}.png"), 40, 30, blue: 60, offset: 5 * c + i)).ToList())).ToList();
        var split = DatasetSplit.FromGroups("train", groups);
        var t = new TrainTransform(8, Norm); // the eval resize side of 8 px would be 9: the old cache shrank 40×30 to 12×9 first
        var options = new LoaderOptions { BatchSize = 4, SamplesPerClass = 2, Seed = 5, Workers = 2 };
        foreach (var cache in new[] { new DecodedImageCache(0), new DecodedImageCache(1 << 20) })
        {
            var loader = new TrainLoader(split, t, options, cache);
            using var batch = loader.Epoch(0).First();
            var got = batch.Images.data<float>().ToArray();
            var per = 3 * 8 * 8;
            for (var p = 0; p < batch.Count; p++)
            {
                var original = SafeImageLoader.Shared.LoadRgb(split.Samples[batch.Indices[p]].Path);
                Assert.Equal((40, 30), (original.Width, original.Height));
                var want = new float[per];
                t.Apply(original, ItemRandom.ForItem(BatchPipeline.ItemSeed(5, 0, 0, p)), want);
                Assert.Equal(want, got.AsSpan(p * per, per).ToArray());
                var fromShrunk = new float[per];
                t.Apply(ImageOps.ResizeShortSide(original, 9), ItemRandom.ForItem(BatchPipeline.ItemSeed(5, 0, 0, p)), fromShrunk);
                Assert.NotEqual(fromShrunk, want); // the check can tell the two sources apart
            }
        }
    }
}
