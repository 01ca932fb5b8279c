namespace VptSp.Core.Inference.Retrieval;

/// <summary>
/// A thread-safe least-recently-used cache of at most <see cref="Capacity"/> values. A value is built once per key
/// (concurrent callers of the same key wait for the one build; the cache lock is not held while building) and only
/// becomes visible when fully built. Evicted or replaced values that are <see cref="IDisposable"/> are disposed.
/// </summary>
public sealed class LruCache<TKey, TValue> : IDisposable where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<Entry>> _map = new();
    private readonly LinkedList<Entry> _order = new(); // most recent first
    private readonly object _gate = new();
    private bool _disposed;

    public LruCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count
    {
        get { lock (_gate) return _map.Count; }
    }

    /// <summary>Keys whose values are built, most recently used first.</summary>
    public IReadOnlyList<TKey> Keys
    {
        get { lock (_gate) return _order.Where(e => e.Value.IsValueCreated).Select(e => e.Key).ToList(); }
    }

    /// <summary>The value of <paramref name="key"/>, built by <paramref name="factory"/> when absent (a failed build is forgotten).</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> factory)
    {
        Lazy<TValue> lazy;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_map.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                lazy = node.Value.Value;
            }
            else
            {
                lazy = new Lazy<TValue>(() => factory(key), LazyThreadSafetyMode.ExecutionAndPublication);
                _map[key] = _order.AddFirst(new Entry(key, lazy));
            }
        }
        try
        {
            var value = lazy.Value;
            TrimToCapacity();
            return value;
        }
        catch
        {
            Remove(key, lazy);
            throw;
        }
    }

    /// <summary>Forgets <paramref name="key"/> (disposing its value).</summary>
    public void Remove(TKey key)
    {
        Lazy<TValue>? removed = null;
        lock (_gate)
        {
            if (_map.Remove(key, out var node))
            {
                _order.Remove(node);
                removed = node.Value.Value;
            }
        }
        DisposeValue(removed);
    }

    private void Remove(TKey key, Lazy<TValue> expected)
    {
        lock (_gate)
        {
            if (_map.TryGetValue(key, out var node) && ReferenceEquals(node.Value.Value, expected))
            {
                _map.Remove(key);
                _order.Remove(node);
            }
        }
    }

    private void TrimToCapacity()
    {
        var evicted = new List<Lazy<TValue>>();
        lock (_gate)
        {
            var node = _order.Last;
            while (_map.Count > Capacity && node is not null)
            {
                var previous = node.Previous;
                if (node.Value.Value.IsValueCreated) // a value still being built is never evicted
                {
                    _map.Remove(node.Value.Key);
                    _order.Remove(node);
                    evicted.Add(node.Value.Value);
                }
                node = previous;
            }
        }
        foreach (var e in evicted) DisposeValue(e);
    }

    private static void DisposeValue(Lazy<TValue>? lazy)
    {
        if (lazy is { IsValueCreated: true, Value: IDisposable d }) d.Dispose();
    }

    public void Dispose()
    {
        List<Lazy<TValue>> all;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            all = _order.Select(e => e.Value).ToList();
            _map.Clear();
            _order.Clear();
        }
        foreach (var e in all) DisposeValue(e);
    }

    private sealed record Entry(TKey Key, Lazy<TValue> Value);
}
