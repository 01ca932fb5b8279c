using System.Collections.Concurrent;
using VptSp.Core.Data.Images;
using static TorchSharp.torch;

namespace VptSp.Core.Data.Loading;

/// <summary>
/// The shared engine of the loaders: a producer task decodes and transforms each batch's images in
/// parallel into a pooled float buffer and puts finished batches into a bounded queue; the consumer
/// turns them into tensors. Every image's random draws come from a generator reseeded for it with
/// (seed, epoch, batch, position) (<see cref="ItemRandom"/>, one per worker thread, no allocation per image), so the number of workers and their timing never change the output.
/// An image that fails to load (changed on disk since the dataset was read) becomes a blank
/// (all-zero after normalisation) image and is counted in <see cref="FailedImages"/>.
/// </summary>
internal sealed class BatchPipeline(DatasetSplit split, IImageTransform transform, DecodedImageCache cache, LoaderOptions options)
{
    private readonly ConcurrentBag<float[]> _buffers = new();
    private int _failedImages;

    public int FailedImages => Volatile.Read(ref _failedImages);
    public string? LastFailure { get; private set; }

    public IEnumerable<ImageBatch> Run(IReadOnlyList<int[]> batches, int epoch)
    {
        if (batches.Count == 0) yield break;
        if (options.Workers == 0)
        {
            // no workers (the reference's num_workers = 0): each batch is made in the consumer's thread when asked for, so decoding
            // never runs at the same time as the model (what a machine with as many cores as torch threads wants)
            var per = 3 * transform.Size * transform.Size;
            for (var b = 0; b < batches.Count; b++)
            {
                var buffer = RentBuffer(batches[b].Length * per);
                for (var pos = 0; pos < batches[b].Length; pos++) FillOne(batches[b], epoch, b, pos, buffer, per);
                yield return ToBatch(buffer, batches[b]);
            }
            yield break;
        }
        using var queue = new BlockingCollection<(float[] Pixels, int[] Indices)>(options.Prefetch);
        using var stop = new CancellationTokenSource();
        var producer = Task.Run(() => Produce(batches, epoch, queue, stop.Token));
        try
        {
            foreach (var (pixels, indices) in queue.GetConsumingEnumerable())
                yield return ToBatch(pixels, indices);
            producer.GetAwaiter().GetResult(); // surface a producer failure
        }
        finally
        {
            stop.Cancel();
            try { producer.Wait(); } catch (AggregateException) { } // stopped early or failed (rethrown above)
        }
    }

    private void Produce(IReadOnlyList<int[]> batches, int epoch, BlockingCollection<(float[], int[])> queue, CancellationToken token)
    {
        try
        {
            var per = 3 * transform.Size * transform.Size;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Workers, CancellationToken = token };
            for (var b = 0; b < batches.Count; b++)
            {
                var indices = batches[b];
                var buffer = RentBuffer(indices.Length * per);
                var batchNo = b;
                Parallel.For(0, indices.Length, parallel, pos => FillOne(indices, epoch, batchNo, pos, buffer, per));
                queue.Add((buffer, indices), token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            queue.CompleteAdding();
        }
    }

    private ImageBatch ToBatch(float[] pixels, int[] indices)
    {
        var s = transform.Size;
        // torch.tensor copies the array (≈4× faster than a TensorAccessor copy), so the buffer can be reused.
        var images = tensor(pixels, new long[] { indices.Length, 3, s, s });
        ReturnBuffer(pixels);
        var labels = tensor(indices.Select(i => (long)split.Samples[i].Label).ToArray(), ScalarType.Int64);
        return new ImageBatch(images, labels, indices);
    }

    /// <summary>Decodes and transforms image <paramref name="pos"/> of a batch into its slot of <paramref name="buffer"/>.</summary>
    private void FillOne(int[] indices, int epoch, int batchNo, int pos, float[] buffer, int per)
    {
        var dest = buffer.AsSpan(pos * per, per);
        var sample = split.Samples[indices[pos]];
        RgbImage image;
        try
        {
            image = cache.Get(sample.Path, DecodedImageCache.ShortSideFor(transform));
        }
        catch (Exception ex) when (ex is ImageRejectedException or IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _failedImages);
            LastFailure = ex.Message;
            dest.Clear();
            return;
        }
        transform.Apply(image, ItemRandom.ForItem(ItemSeed(options.Seed, epoch, batchNo, pos)), dest);
    }

    /// <summary>SplitMix64 of the four coordinates, folded to a non-negative int.</summary>
    internal static int ItemSeed(int seed, int epoch, int batch, int position)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)epoch * 0xBF58476D1CE4E5B9UL
                          ^ (ulong)batch * 0x94D049BB133111EBUL ^ (ulong)position * 0x2545F4914F6CDD1DUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }

    private float[] RentBuffer(int length)
    {
        // exact lengths only: torch.tensor takes the whole array (a short last batch gets its own buffer)
        while (_buffers.TryTake(out var b))
            if (b.Length == length) return b;
        return new float[length];
    }

    private void ReturnBuffer(float[] buffer)
    {
        if (_buffers.Count < options.Prefetch + 2) _buffers.Add(buffer);
    }
}
