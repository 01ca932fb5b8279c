using Cloud.Unum.USearch;

namespace VptSp.Core.Inference;

/// <summary>
/// Approximate top-k with a USearch HNSW graph, vectors stored as f16. Keys are gallery row numbers;
/// scores are 1 − USearch distance (cosine or inner product similarity).
/// </summary>
public sealed class HnswEmbeddingIndex : IEmbeddingIndex
{
    private readonly USearchIndex _index;
    private readonly ReaderWriterLockSlim _lock = new();

    // USearch reserves one search context per hardware thread; a search from one thread more fails with
    // "Reserve capacity ahead of searches!" (seen under a loaded thread pool), so concurrent searches are capped.
    private readonly SemaphoreSlim _searchSlots = new(Environment.ProcessorCount, Environment.ProcessorCount);
    private bool _disposed;

    public HnswEmbeddingIndex(IReadOnlyList<float[]> gallery, EmbeddingIndexOptions? options = null)
    {
        options ??= new EmbeddingIndexOptions();
        if (gallery.Count == 0) throw new ArgumentException("the gallery is empty");
        Dimension = gallery[0].Length;
        var metric = options.Metric == IndexMetric.Cosine ? MetricKind.Cos : MetricKind.Ip;
        _index = new USearchIndex(metric, ScalarKind.Float16, (ulong)Dimension, (ulong)options.Connectivity,
            (ulong)options.ExpansionAdd, (ulong)options.ExpansionSearch, false);
        var keys = new ulong[gallery.Count];
        var rows = new float[gallery.Count][];
        for (var i = 0; i < gallery.Count; i++)
        {
            if (gallery[i].Length != Dimension)
                throw new ArgumentException($"gallery row {i} has {gallery[i].Length} values, expected {Dimension}");
            keys[i] = (ulong)i;
            rows[i] = gallery[i];
        }
        // One batch on one thread: adding from several threads at once corrupted the graph with the 2.26.6 binding
        // (rows no longer found themselves), so the graph is built sequentially (in the background by callers).
        _index.Add(keys, rows);
        Count = gallery.Count;
    }

    public int Count { get; }
    public int Dimension { get; }
    public string Kind => "hnsw";

    /// <summary>SIMD level USearch picked on this machine (e.g. "haswell", "sapphire").</summary>
    public string HardwareAcceleration => _index.HardwareAcceleration();

    public IReadOnlyList<SearchHit> Search(float[] query, int k)
    {
        EmbeddingIndexFactory.CheckQuery(query, Dimension, k);
        _lock.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int found;
            ulong[] keys;
            float[] distances;
            _searchSlots.Wait();
            try
            {
                found = _index.Search(query, Math.Min(k, Count), out keys, out distances);
            }
            finally
            {
                _searchSlots.Release();
            }
            var hits = new SearchHit[found];
            for (var i = 0; i < found; i++) hits[i] = new SearchHit((int)keys[i], 1f - distances[i]);
            return hits;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose()
    {
        _lock.EnterWriteLock();
        try
        {
            if (_disposed) return;
            _disposed = true;
            _index.Dispose();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }
}
