using VptSp.Core.Data;
using VptSp.Core.Inference;
using VptSp.Core.Inference.Retrieval;
using VptSp.Core.Modeling;
using VptSp.Core.Modeling.Checkpoints;
using VptSp.Tests.Support;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Inference.Retrieval;

public sealed class GalleryStoreTests : IDisposable
{
    private readonly SyntheticDataset _data = new(classes: 6, imagesPerClass: 3);
    private readonly string _root = Directory.CreateTempSubdirectory("vptsp-gallery-").FullName;

    public void Dispose()
    {
        _data.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Counts the images it embeds.</summary>
    private sealed class CountingEmbedder(IImageEmbedder inner) : IImageEmbedder
    {
        public int Images;
        public Preprocessing Preprocessing => inner.Preprocessing;
        public Device Device => inner.Device;
        public int Dimension => inner.Dimension;
        public Tensor Embed(Tensor images)
        {
            Interlocked.Add(ref Images, (int)images.shape[0]);
            return inner.Embed(images);
        }
    }

    private static StoredEmbeddings Build(string run, CountingEmbedder embedder)
    {
        using var artefact = RunArtefact.Load(run);
        return GalleryStore.GetOrBuild(artefact, GalleryStore.GalleryRole, embedder, () => GalleryStore.OpenDataset(run));
    }

    [Fact]
    public void TheGalleryIsTheTestSplitEmbeddedOnceStoredBesideTheRunAndReused()
    {
        var run = RetrievalRunFixtures.MakeRun(_root, "run", _data, RetrievalRunFixtures.Options(), perturbation: 1);
        using var model = RunModelLoader.Load(run);
        var embedder = new CountingEmbedder(new MetricModelEmbedder(model));
        var test = GalleryStore.OpenDataset(run).Split(SplitNames.Test);

        using (var first = Build(run, embedder))
        {
            Assert.Equal(test.Count, embedder.Images);
            Assert.Equal(test.Samples.Select(s => s.Path), first.Info.Images.Select(i => i.Path));
            Assert.Equal(test.Labels(), first.Info.Images.Select(i => i.Label));
            Assert.Equal(test.ClassNames, first.Info.ClassNames);
            using var direct = EmbeddingExtractor.Embed(new MetricModelEmbedder(model), test, 8, 1);
            Assert.True(first.Embeddings.allclose(direct, rtol: 0, atol: 1e-6));
        }
        Assert.True(File.Exists(Path.Combine(run, "gallery", "gallery.json")));
        Assert.True(File.Exists(Path.Combine(run, "gallery", "gallery.safetensors")));

        using (var second = Build(run, embedder))
        {
            Assert.Equal(test.Count, embedder.Images); // nothing embedded again
            Assert.Equal(test.Count, second.Count);
        }
    }

    [Fact]
    public void ChangedArtefactsInvalidateTheStoredGallery()
    {
        var options = RetrievalRunFixtures.Options();
        var run = RetrievalRunFixtures.MakeRun(_root, "run", _data, options, perturbation: 1);
        float[] before;
        using (var model = RunModelLoader.Load(run))
        using (var g = Build(run, new CountingEmbedder(new MetricModelEmbedder(model))))
            before = g.Embeddings.data<float>().ToArray();
        var fingerprint = ArtefactFingerprint.Compute(Path.Combine(run, "artefacts"));

        RetrievalRunFixtures.SaveArtefact(Path.Combine(run, "artefacts"), options, perturbation: 2); // retrained
        Assert.NotEqual(fingerprint, ArtefactFingerprint.Compute(Path.Combine(run, "artefacts")));
        using var retrained = RunModelLoader.Load(run);
        var embedder = new CountingEmbedder(new MetricModelEmbedder(retrained));
        using var after = Build(run, embedder);
        Assert.Equal(after.Count, embedder.Images); // recomputed
        Assert.NotEqual(before, after.Embeddings.data<float>().ToArray());
        using var direct = EmbeddingExtractor.Embed(new MetricModelEmbedder(retrained), GalleryStore.OpenDataset(run).Split(SplitNames.Test), 8, 1);
        Assert.True(after.Embeddings.allclose(direct, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void AStoredGalleryOfAnotherFingerprintOrACorruptOneIsNotLoaded()
    {
        var run = RetrievalRunFixtures.MakeRun(_root, "run", _data, RetrievalRunFixtures.Options(), perturbation: 1);
        using (var model = RunModelLoader.Load(run))
        using (Build(run, new CountingEmbedder(new MetricModelEmbedder(model)))) { }
        var dir = GalleryStore.DirectoryOf(run);
        var fingerprint = ArtefactFingerprint.Compute(Path.Combine(run, "artefacts"));
        using (var ok = StoredEmbeddings.TryLoad(dir, GalleryStore.GalleryRole, fingerprint)) Assert.NotNull(ok);
        Assert.Null(StoredEmbeddings.TryLoad(dir, GalleryStore.GalleryRole, "0000"));
        File.WriteAllText(StoredEmbeddings.JsonPath(dir, GalleryStore.GalleryRole), "{ not json");
        Assert.Null(StoredEmbeddings.TryLoad(dir, GalleryStore.GalleryRole, fingerprint));
    }
}
