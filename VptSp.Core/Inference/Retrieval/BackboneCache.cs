using VptSp.Core.Modeling;
using static TorchSharp.torch;

namespace VptSp.Core.Inference.Retrieval;

/// <summary>
/// The pooled models in memory: one per <see cref="PooledModelKey"/> (one frozen backbone per checkpoint and model
/// shape), at most <see cref="Capacity"/>, least recently used evicted first. Building a pooled model (a checkpoint
/// load) happens outside the cache lock, once per key.
/// </summary>
public sealed class BackboneCache(int capacity, Device? device = null) : IDisposable
{
    private readonly LruCache<PooledModelKey, PooledModel> _models = new(capacity);

    public int Capacity => _models.Capacity;

    public int Count => _models.Count;

    /// <summary>Number of pooled models built so far (a model load each).</summary>
    public int Builds => Volatile.Read(ref _builds);
    private int _builds;

    public IReadOnlyList<PooledModelKey> Keys => _models.Keys;

    /// <summary>The pooled model that carries <paramref name="artefact"/> (built from it when absent).</summary>
    public PooledModel For(RunArtefact artefact)
    {
        var model = _models.GetOrAdd(artefact.PoolKey, key =>
        {
            Interlocked.Increment(ref _builds);
            return new PooledModel(key, artefact, device);
        });
        model.CheckFits(artefact);
        return model;
    }

    /// <summary>Embeds with the run's model; retries when the pooled model was evicted between lookup and forward.</summary>
    public Tensor Embed(RunArtefact artefact, Tensor images)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return For(artefact).Embed(artefact, images);
            }
            catch (ObjectDisposedException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>An <see cref="IImageEmbedder"/> for one run over this cache (for <see cref="EmbeddingExtractor"/>).</summary>
    public IImageEmbedder EmbedderFor(RunArtefact artefact) => new RunEmbedder(this, artefact, For(artefact));

    public void Dispose() => _models.Dispose();

    private sealed class RunEmbedder(BackboneCache cache, RunArtefact artefact, PooledModel first) : IImageEmbedder
    {
        public Preprocessing Preprocessing { get; } = first.Preprocessing;
        public Device Device { get; } = first.Device;
        public int Dimension { get; } = first.Dimension;
        public Tensor Embed(Tensor images) => cache.Embed(artefact, images);
    }
}
