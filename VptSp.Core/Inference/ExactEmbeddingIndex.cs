using VptSp.Core.Evaluation;
using static TorchSharp.torch;

namespace VptSp.Core.Inference;

/// <summary>Exact top-k by one matrix-vector product over the whole gallery; ties go to the lower index.</summary>
public sealed class ExactEmbeddingIndex : IEmbeddingIndex
{
    private readonly Tensor _gallery;
    private readonly IndexMetric _metric;

    public ExactEmbeddingIndex(IReadOnlyList<float[]> gallery, IndexMetric metric = IndexMetric.Cosine)
    {
        _metric = metric;
        using var raw = Embeddings.ToTensor(gallery);
        _gallery = metric == IndexMetric.Cosine ? Embeddings.L2Normalise(raw) : raw.clone();
        _gallery.DetachFromDisposeScope();
        Count = gallery.Count;
        Dimension = gallery[0].Length;
    }

    public int Count { get; }
    public int Dimension { get; }
    public string Kind => "exact";

    public IReadOnlyList<SearchHit> Search(float[] query, int k)
    {
        EmbeddingIndexFactory.CheckQuery(query, Dimension, k);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var q = tensor(query, new long[] { 1, query.Length });
        if (_metric == IndexMetric.Cosine) q = Embeddings.L2Normalise(q);
        var sims = q.mm(_gallery.t());
        var chunk = NeighbourSearch.SelectTopK(sims, 0, Math.Min(k, Count));
        return chunk.Indices[0].Select((index, j) => new SearchHit(index, chunk.Scores[0][j])).ToArray();
    }

    public void Dispose() => _gallery.Dispose();
}
