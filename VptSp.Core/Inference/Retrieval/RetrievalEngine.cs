using System.Diagnostics;
using VptSp.Core.Data;
using VptSp.Core.Data.Images;
using static TorchSharp.torch;

namespace VptSp.Core.Inference.Retrieval;

/// <summary>
/// Image search over completed runs. Each run's gallery embeddings are computed once and stored beside the run
/// (<see cref="GalleryStore"/>); runs over the same frozen backbone share one pooled model and switching between them
/// copies only their trained tensors (<see cref="BackboneCache"/>). Runs and pooled models are kept in bounded LRU
/// caches. Thread-safe: searches may run concurrently with each other and with training (which uses its own model).
/// </summary>
public sealed class RetrievalEngine : IDisposable
{
    private readonly LruCache<string, RunRetrievalEntry> _runs;

    public RetrievalEngine(RetrievalOptions? options = null, Device? device = null)
    {
        Options = options ?? new RetrievalOptions();
        Backbones = new BackboneCache(Options.MaxBackbones, device);
        _runs = new LruCache<string, RunRetrievalEntry>(Options.MaxGalleries);
    }

    public RetrievalOptions Options { get; }

    public BackboneCache Backbones { get; }

    /// <summary>Runs exported to ONNX so far for the ONNX Runtime query engine (one per loaded run).</summary>
    public int OnnxExports => Volatile.Read(ref _onnxExports);
    private int _onnxExports;

    /// <summary>Runs held in memory, most recently used first.</summary>
    public IReadOnlyList<string> CachedRuns => _runs.Keys;

    /// <summary>Loads (or reuses) the run's artefact and gallery; the first call for a run may embed its whole gallery.</summary>
    public void Prepare(string runDirectory, CancellationToken ct = default) => Use(runDirectory, _ => 0, ct);

    /// <summary>Searches the run's gallery with encoded image bytes (decoded safely; <see cref="ImageRejectedException"/> for bad input).</summary>
    /// <param name="source">How the image is named in rejection messages (e.g. the uploaded file name).</param>
    public SearchResult Search(string runDirectory, byte[] image, int k, string source = "upload", CancellationToken ct = default) =>
        Use(runDirectory, entry =>
        {
            var sw = Stopwatch.StartNew();
            IImageEmbedder embedder = Options.QueryEngine == QueryEngine.Onnx ? entry.Onnx : Backbones.EmbedderFor(entry.Artefact);
            var transform = EmbeddingExtractor.EvalTransformFor(embedder.Preprocessing);
            using var batch = ImageTensors.FromBytes(image, transform, source);
            var decode = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            float[] query;
            using (var e = embedder.Embed(batch))
            using (NewDisposeScope()) // the float32/CPU copies die here, not in a finalizer
                query = e.to(ScalarType.Float32).cpu().data<float>().ToArray();
            var embed = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var hits = entry.Gallery.Search(query, k);
            var search = sw.Elapsed.TotalMilliseconds;
            return new SearchResult(ToResults(entry, hits, exclude: null, k), entry.Gallery.Index.Kind, entry.Gallery.Gallery.Count,
                decode, embed, search, QueryEngine: Options.QueryEngine);
        }, ct);

    /// <summary>Searches with gallery image <paramref name="index"/> (its stored embedding; itself excluded from the results).</summary>
    public SearchResult SearchByGalleryImage(string runDirectory, int index, int k, CancellationToken ct = default) =>
        Use(runDirectory, entry =>
        {
            var gallery = entry.Gallery;
            if (index < 0 || index >= gallery.Gallery.Count)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"the gallery has {gallery.Gallery.Count} images");
            var sw = Stopwatch.StartNew();
            var hits = gallery.Search(gallery.Rows[index], Math.Min(k + 1, gallery.Gallery.Count));
            var search = sw.Elapsed.TotalMilliseconds;
            var results = ToResults(entry, hits, index, k);
            var label = gallery.Gallery.Info.Images[index].Label;
            var first = results.FirstOrDefault(r => r.Label == label)?.Rank;
            return new SearchResult(results, gallery.Index.Kind, gallery.Gallery.Count, 0, 0, search, index,
                gallery.Gallery.Info.ClassNames[label], first);
        }, ct);

    /// <summary>The run's gallery images and class names.</summary>
    public GalleryListing Gallery(string runDirectory, CancellationToken ct = default) =>
        Use(runDirectory, entry =>
        {
            var info = entry.Gallery.Gallery.Info;
            return new GalleryListing(info.Dataset, info.Split, info.Images, info.ClassNames);
        }, ct);

    /// <summary>
    /// The images of the run's query set: the gallery itself, or (In-Shop) the query split stored by <see cref="Failures"/>
    /// (null until the failures were computed).
    /// </summary>
    public IReadOnlyList<StoredImage>? QueryImages(string runDirectory, CancellationToken ct = default) =>
        Use(runDirectory, entry =>
        {
            var separate = StoredEmbeddings.TryReadInfo(GalleryStore.DirectoryOf(entry.Artefact.RunDirectory), GalleryStore.QueryRole,
                entry.Artefact.Fingerprint);
            return separate?.Images ?? (entry.Failures.QueriesAreGallery ? entry.Gallery.Gallery.Info.Images : null);
        }, ct);

    /// <summary>The run's gallery embeddings projected to 2-D (see <see cref="EmbeddingMap.Of"/>).</summary>
    public EmbeddingMap Map(string runDirectory, int maxPoints, CancellationToken ct = default) =>
        Use(runDirectory, entry => EmbeddingMap.Of(entry.Gallery.Gallery, maxPoints), ct);

    /// <summary>How spread out the run's gallery embeddings are (mean pairwise cosine; near 1 = collapsed).</summary>
    public Evaluation.Baselines.EmbeddingSpread Spread(string runDirectory, CancellationToken ct = default) =>
        Use(runDirectory, entry => Evaluation.Baselines.EmbeddingSpread.Of(entry.Gallery.Gallery.Embeddings), ct);

    /// <summary>Per-class Recall@1 and worst queries of the run (computed once per loaded run).</summary>
    public FailureReport Failures(string runDirectory, CancellationToken ct = default) =>
        Use(runDirectory, entry => entry.Failures, ct);

    /// <summary>Forgets a run (e.g. deleted); its stored files are left alone.</summary>
    public void Forget(string runDirectory) => _runs.Remove(Path.GetFullPath(runDirectory));

    private T Use<T>(string runDirectory, Func<RunRetrievalEntry, T> work, CancellationToken ct)
    {
        var key = Path.GetFullPath(runDirectory);
        var artefacts = new Training.RunDirectory(key).ArtefactsDir;
        for (var attempt = 0; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            var entry = _runs.GetOrAdd(key, _ => Open(key, ct));
            if (entry.Stamp != ArtefactFingerprint.Stamp(artefacts))
            {
                _runs.Remove(key); // the run's artefact changed: read it and its gallery again
                continue;
            }
            try
            {
                return entry.Use(work);
            }
            catch (ObjectDisposedException) when (attempt < 3)
            {
            }
        }
    }

    private RunRetrievalEntry Open(string runDirectory, CancellationToken ct)
    {
        var artefactsDir = new Training.RunDirectory(runDirectory).ArtefactsDir;
        var stamp = ArtefactFingerprint.Stamp(artefactsDir);
        var artefact = RunArtefact.Load(runDirectory);
        try
        {
            var embedder = Backbones.EmbedderFor(artefact);
            DatasetInfo? data = null;
            DatasetInfo Data() => data ??= GalleryStore.OpenDataset(runDirectory);
            var stored = GalleryStore.GetOrBuild(artefact, GalleryStore.GalleryRole, embedder, Data,
                Options.EmbedBatchSize, Options.EmbedWorkers, ct);
            var gallery = new SearchableGallery(stored, Options.Index);
            return new RunRetrievalEntry(stamp, artefact, gallery, entry => AnalyseFailures(entry, Data),
                () => Interlocked.Increment(ref _onnxExports));
        }
        catch
        {
            artefact.Dispose();
            throw;
        }
    }

    private FailureReport AnalyseFailures(RunRetrievalEntry entry, Func<DatasetInfo> data)
    {
        var gallery = entry.Gallery.Gallery;
        var galleryLabels = gallery.Info.Images.Select(i => i.Label).ToArray();
        var separate = File.Exists(StoredEmbeddings.JsonPath(GalleryStore.DirectoryOf(entry.Artefact.RunDirectory), GalleryStore.QueryRole))
                       || GalleryStore.HasSeparateQueries(data());
        if (!separate)
            return FailureAnalysis.Analyse(gallery.Embeddings, galleryLabels, gallery.Embeddings, galleryLabels, gallery.Info.ClassNames,
                queriesAreGallery: true, Options.FailureNeighbours, Options.FailuresPerClass);
        using var queries = GalleryStore.GetOrBuild(entry.Artefact, GalleryStore.QueryRole, Backbones.EmbedderFor(entry.Artefact), data,
            Options.EmbedBatchSize, Options.EmbedWorkers);
        return FailureAnalysis.Analyse(queries.Embeddings, queries.Info.Images.Select(i => i.Label).ToArray(), gallery.Embeddings,
            galleryLabels, gallery.Info.ClassNames, queriesAreGallery: false, Options.FailureNeighbours, Options.FailuresPerClass);
    }

    private static List<RetrievedImage> ToResults(RunRetrievalEntry entry, IReadOnlyList<SearchHit> hits, int? exclude, int k)
    {
        var info = entry.Gallery.Gallery.Info;
        return hits.Where(h => h.Index != exclude).Take(k)
            .Select((h, i) => new RetrievedImage(i + 1, h.Index, h.Score, info.Images[h.Index].Label, info.ClassNames[info.Images[h.Index].Label]))
            .ToList();
    }

    public void Dispose()
    {
        _runs.Dispose();
        Backbones.Dispose();
    }
}
