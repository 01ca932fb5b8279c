using VptSp.Core.Inference;
using VptSp.Core.Inference.Retrieval;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Inference.Retrieval;

public class SearchableGalleryTests
{
    [Fact]
    public async Task ALargeGallerySwitchesToItsBackgroundHnswIndexWithTheSameTopOne()
    {
        var rng = new Random(4);
        const int n = 400, d = 32;
        var flat = Enumerable.Range(0, n * d).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        using var raw = tensor(flat, new long[] { n, d });
        using var normalised = nn.functional.normalize(raw, dim: 1);
        var info = new StoredEmbeddingsInfo(StoredEmbeddingsInfo.CurrentFormat, "gallery", "f", "synthetic", "test", n, d, ["c"],
            Enumerable.Range(0, n).Select(i => new StoredImage($"img{i}.png", 0)).ToList(), DateTimeOffset.UtcNow);
        using var gallery = new SearchableGallery(new StoredEmbeddings(info, normalised.clone()), new EmbeddingIndexOptions { HnswThreshold = 100 });

        var query = gallery.Rows[17];
        var before = gallery.Search(query, 1);
        Assert.Equal(17, before[0].Index);
        Assert.NotNull(gallery.HnswBuild);
        await gallery.HnswBuild!.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal("hnsw", gallery.Index.Kind);
        Assert.Equal(17, gallery.Search(query, 1)[0].Index);
    }

    [Fact]
    public void ASmallGalleryStaysExact()
    {
        using var e = eye(3);
        var info = new StoredEmbeddingsInfo(StoredEmbeddingsInfo.CurrentFormat, "gallery", "f", "synthetic", "test", 3, 3, ["c"],
            Enumerable.Range(0, 3).Select(i => new StoredImage($"img{i}.png", 0)).ToList(), DateTimeOffset.UtcNow);
        using var gallery = new SearchableGallery(new StoredEmbeddings(info, e.clone()), new EmbeddingIndexOptions());
        Assert.Null(gallery.HnswBuild);
        Assert.Equal("exact", gallery.Index.Kind);
    }
}
