namespace VptSp.Core.Data.Loading;

/// <summary>
/// The reference's <c>random_class</c> sampler: each batch draws B/k distinct classes and k images of
/// each (repeating only when there are fewer classes or a class has fewer images), grouped by class
/// (the proxy mixing relies on that); N/B batches per epoch; epoch e uses the seed <c>seed + e</c>.
/// </summary>
public sealed class RandomClassSampler
{
    private readonly int[][] _byClass;

    public RandomClassSampler(IReadOnlyList<int> labels, int batchSize, int samplesPerClass, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerClass, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, samplesPerClass);
        if (batchSize % samplesPerClass != 0)
            throw new ArgumentException($"samples per class ({samplesPerClass}) must divide the batch size ({batchSize})");
        if (labels.Count < batchSize)
            throw new ArgumentException($"the split has {labels.Count} images, fewer than one batch of {batchSize}");
        _byClass = labels.Select((label, index) => (label, index))
            .GroupBy(x => x.label)
            .OrderBy(g => g.Key)
            .Select(g => g.Select(x => x.index).ToArray())
            .ToArray();
        BatchSize = batchSize;
        SamplesPerClass = samplesPerClass;
        Seed = seed;
        BatchesPerEpoch = labels.Count / batchSize;
    }

    public int BatchSize { get; }
    public int SamplesPerClass { get; }
    public int Seed { get; }
    public int BatchesPerEpoch { get; }
    public int ClassCount => _byClass.Length;

    /// <summary>The epoch's batches as sample indices (into the split), each grouped by class.</summary>
    public int[][] Epoch(int epoch)
    {
        var random = new Random(unchecked(Seed + epoch));
        var classesPerBatch = BatchSize / SamplesPerClass;
        var classIds = Enumerable.Range(0, _byClass.Length).ToArray();
        var batches = new int[BatchesPerEpoch][];
        for (var b = 0; b < BatchesPerEpoch; b++)
        {
            var batch = new int[BatchSize];
            var o = 0;
            // A class drawn r times (only when there are fewer classes than B/k) contributes r·k images in one
            // run, so the batch stays grouped by class; GroupBy keeps the order of first appearance.
            foreach (var group in Draw(classIds, classesPerBatch, random).GroupBy(c => c))
                foreach (var index in Draw(_byClass[group.Key], SamplesPerClass * group.Count(), random))
                    batch[o++] = index;
            batches[b] = batch;
        }
        return batches;
    }

    /// <summary>n items without repetition when the pool is large enough; else the whole pool ⌊n/m⌋ times plus a sample, shuffled.</summary>
    internal static int[] Draw(int[] pool, int n, Random random)
    {
        var m = pool.Length;
        if (n <= m) return SampleWithoutReplacement(pool, n, random);
        var result = new int[n];
        var o = 0;
        for (var r = 0; r < n / m; r++)
            foreach (var x in pool) result[o++] = x;
        foreach (var x in SampleWithoutReplacement(pool, n % m, random)) result[o++] = x;
        random.Shuffle(result);
        return result;
    }

    private static int[] SampleWithoutReplacement(int[] pool, int n, Random random)
    {
        var copy = (int[])pool.Clone();
        for (var i = 0; i < n; i++)
        {
            var j = random.Next(i, copy.Length);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy[..n];
    }
}
