using VptSp.Core.Evaluation;
using static TorchSharp.torch;

namespace VptSp.Core.Inference.Retrieval;

/// <summary>One gallery image on the embedding map: its row in the gallery, its 2-D position and its class.</summary>
public sealed record EmbeddingMapPoint(int Index, double X, double Y, int Label);

/// <summary>A run's gallery embeddings projected to 2-D (PCA), at most a bounded number of points (an even subsample beyond it).</summary>
public sealed record EmbeddingMap(string Dataset, string Split, IReadOnlyList<string> ClassNames, IReadOnlyList<EmbeddingMapPoint> Points,
    int GalleryCount, double ExplainedFirst, double ExplainedSecond)
{
    /// <summary>Projects <paramref name="gallery"/>'s embeddings; with more than <paramref name="maxPoints"/> rows, every ⌈N / max⌉-th row.</summary>
    public static EmbeddingMap Of(StoredEmbeddings gallery, int maxPoints)
    {
        if (maxPoints < 2) throw new ArgumentOutOfRangeException(nameof(maxPoints), maxPoints, "the map needs at least 2 points");
        var info = gallery.Info;
        var count = (int)gallery.Embeddings.shape[0];
        var step = Math.Max(1, (count + maxPoints - 1) / maxPoints);
        var rows = Enumerable.Range(0, count).Where(i => i % step == 0).Select(i => (long)i).ToArray();
        using var scope = NewDisposeScope();
        using var index = tensor(rows, ScalarType.Int64);
        var picked = gallery.Embeddings.index_select(0, index);
        var p = Pca2D.Project(picked);
        var points = rows.Select((r, i) => new EmbeddingMapPoint((int)r, p.X[i], p.Y[i], info.Images[(int)r].Label)).ToList();
        return new EmbeddingMap(info.Dataset, info.Split, info.ClassNames, points, count, p.ExplainedFirst, p.ExplainedSecond);
    }
}
