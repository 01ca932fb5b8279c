namespace VptSp.Core.Inference.Retrieval;

/// <summary>
/// What the engine keeps in memory for one run: its artefact tensors, its searchable gallery and, on demand, its
/// failure report. Users hold a read lease while they work; disposal (eviction) waits for them and later users get
/// <see cref="ObjectDisposedException"/> (the engine then reopens the run).
/// </summary>
internal sealed class RunRetrievalEntry : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.SupportsRecursion);
    private readonly Lazy<FailureReport> _failures;
    private readonly Lazy<Export.OnnxEmbedder> _onnx;
    private bool _disposed;

    public RunRetrievalEntry(string stamp, RunArtefact artefact, SearchableGallery gallery, Func<RunRetrievalEntry, FailureReport> failures,
        Action? onOnnxExport = null)
    {
        Stamp = stamp;
        Artefact = artefact;
        Gallery = gallery;
        _failures = new Lazy<FailureReport>(() => failures(this), LazyThreadSafetyMode.ExecutionAndPublication);
        _onnx = new Lazy<Export.OnnxEmbedder>(() =>
        {
            onOnnxExport?.Invoke();
            return new Export.OnnxEmbedder(Export.OnnxExporter.ExportRunToBytes(artefact.RunDirectory));
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary><see cref="ArtefactFingerprint.Stamp"/> of the artefact when it was read.</summary>
    public string Stamp { get; }
    public RunArtefact Artefact { get; }
    public SearchableGallery Gallery { get; }
    public FailureReport Failures => _failures.Value;

    /// <summary>The run's model exported to ONNX and loaded in ONNX Runtime (built on first use).</summary>
    public Export.OnnxEmbedder Onnx => _onnx.Value;

    public T Use<T>(Func<RunRetrievalEntry, T> work)
    {
        _lock.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work(this);
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
            Gallery.Dispose();
            Artefact.Dispose();
            if (_onnx.IsValueCreated) _onnx.Value.Dispose();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }
}
