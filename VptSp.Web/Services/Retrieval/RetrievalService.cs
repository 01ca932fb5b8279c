using VptSp.Core.Training;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using VptSp.Core.Inference;
using VptSp.Core.Inference.Retrieval;
using VptSp.Web.Options;
using VptSp.Runs;

namespace VptSp.Web.Services.Retrieval;

/// <summary>
/// Image search over completed runs for the API and the pages: resolves a run id to its directory (unknown → 404,
/// not completed → 409), bounds how many searches compute at once, and runs the work (decoding, forward, search) on
/// the thread pool — never on the training thread, which keeps its own model. Over Core's <see cref="RetrievalEngine"/>.
/// </summary>
public sealed class RetrievalService : IDisposable
{
    private readonly IRunService _runs;
    private readonly SearchOptions _options;
    private readonly RetrievalEngine _engine;
    private readonly SemaphoreSlim _slots;

    public RetrievalService(IRunService runs, IOptions<SearchOptions> options)
    {
        _runs = runs;
        _options = options.Value;
        _engine = new RetrievalEngine(new RetrievalOptions
        {
            MaxBackbones = _options.MaxBackbones,
            MaxGalleries = _options.MaxGalleries,
            Index = new EmbeddingIndexOptions { HnswThreshold = _options.HnswThreshold },
            QueryEngine = _options.Engine,
        });
        _slots = new SemaphoreSlim(_options.MaxConcurrentSearches);
    }

    public SearchOptions Options => _options;

    /// <summary>The Core engine (caches are inspectable for diagnostics and tests).</summary>
    public RetrievalEngine Engine => _engine;

    /// <summary>Completed runs, newest first (what the search page offers).</summary>
    public async Task<IReadOnlyList<RunSummary>> SearchableRunsAsync(CancellationToken ct = default) =>
        (await _runs.ListAsync(new RunFilter(Status: RunState.Completed), ct)).OrderByDescending(r => r.Id).ToList();

    /// <summary>Top-<paramref name="k"/> of an uploaded image (<see cref="VptSp.Core.Data.Images.ImageRejectedException"/> for bad bytes).
    /// Callers go through <see cref="SearchService"/>, which checks k.</summary>
    /// <param name="source">How the image is named in rejection messages (default "upload"; the page passes the file name).</param>
    internal Task<RunSearchResult> SearchAsync(long runId, byte[] image, int k, string source = "upload", CancellationToken ct = default) =>
        RunAsync(runId, k, dir => _engine.Search(dir, image, k, source, ct), ct);

    /// <summary>Top-<paramref name="k"/> of gallery image <paramref name="index"/> (itself excluded); k checked by <see cref="SearchService"/>.</summary>
    internal Task<RunSearchResult> SearchGalleryImageAsync(long runId, int index, int k, CancellationToken ct = default) =>
        RunAsync(runId, k, dir =>
        {
            var count = _engine.Gallery(dir, ct).Images.Count;
            if (index < 0 || index >= count) throw new GalleryImageNotFoundException(runId, index, count);
            return _engine.SearchByGalleryImage(dir, index, k, ct);
        }, ct);

    /// <summary>The run's gallery images (row order) and class names; the first call for a run may embed its gallery.</summary>
    public async Task<GalleryListing> GalleryAsync(long runId, CancellationToken ct = default)
    {
        var dir = await RunDirectoryAsync(runId, ct);
        return await OnPoolAsync(() => _engine.Gallery(dir, ct), ct);
    }

    /// <summary>The file of gallery image <paramref name="index"/> of the run (only files listed in the run's stored gallery).</summary>
    public async Task<string> GalleryImagePathAsync(long runId, int index, CancellationToken ct = default)
    {
        var gallery = await GalleryAsync(runId, ct);
        if (index < 0 || index >= gallery.Images.Count || !File.Exists(gallery.Images[index].Path))
            throw new GalleryImageNotFoundException(runId, index, gallery.Images.Count);
        return gallery.Images[index].Path;
    }

    /// <summary>The file of query image <paramref name="index"/> of the run's failure analysis (In-Shop: its query split; otherwise its gallery).</summary>
    public async Task<string> QueryImagePathAsync(long runId, int index, CancellationToken ct = default)
    {
        var dir = await RunDirectoryAsync(runId, ct);
        var images = await OnPoolAsync(() => _engine.QueryImages(dir, ct), ct) ?? [];
        if (index < 0 || index >= images.Count || !File.Exists(images[index].Path))
            throw new GalleryImageNotFoundException(runId, index, images.Count);
        return images[index].Path;
    }

    /// <summary>The run's gallery embeddings as a 2-D PCA map (at most <paramref name="maxPoints"/> points).</summary>
    public async Task<EmbeddingMap> MapAsync(long runId, int maxPoints, CancellationToken ct = default)
    {
        var dir = await RunDirectoryAsync(runId, ct);
        return await OnPoolAsync(() => _engine.Map(dir, maxPoints, ct), ct);
    }

    /// <summary>How spread out the run's gallery embeddings are (a mean pairwise cosine near 1 means collapsed).</summary>
    public async Task<VptSp.Core.Evaluation.Baselines.EmbeddingSpread> SpreadAsync(long runId, CancellationToken ct = default)
    {
        var dir = await RunDirectoryAsync(runId, ct);
        return await OnPoolAsync(() => _engine.Spread(dir, ct), ct);
    }

    /// <summary>Per-class Recall@1 and the worst queries of the run.</summary>
    public async Task<(FailureReport Report, GalleryListing Gallery)> FailuresAsync(long runId, CancellationToken ct = default)
    {
        var dir = await RunDirectoryAsync(runId, ct);
        return await OnPoolAsync(() => (_engine.Failures(dir, ct), _engine.Gallery(dir, ct)), ct);
    }

    private async Task<RunSearchResult> RunAsync(long runId, int k, Func<string, SearchResult> search, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var dir = await RunDirectoryAsync(runId, ct);
        var result = await OnPoolAsync(() => search(dir), ct);
        return new RunSearchResult(runId, k, sw.Elapsed.TotalMilliseconds, result);
    }

    private async Task<T> OnPoolAsync<T>(Func<T> work, CancellationToken ct)
    {
        if (!await _slots.WaitAsync(TimeSpan.FromSeconds(_options.QueueTimeoutSeconds), ct))
            throw new SearchBusyException($"{_options.MaxConcurrentSearches} searches are running; try again shortly");
        try
        {
            return await Task.Run(work, ct);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>The run's directory when it is completed and has an artefact.</summary>
    private async Task<string> RunDirectoryAsync(long runId, CancellationToken ct)
    {
        var run = await _runs.GetAsync(runId, ct); // RunNotFoundException → 404
        if (!RunStates.CanSearch(run.Summary.Status))
            throw new RunStateConflictException($"run {runId} is {RunStates.Name(run.Summary.Status)}; only completed runs can be searched");
        if (!Directory.Exists(new VptSp.Core.Training.RunDirectory(run.RunDirectory).ArtefactsDir))
            throw new RunStateConflictException($"run {runId} has no trained artefact to search with");
        return run.RunDirectory;
    }

    public void Dispose()
    {
        _engine.Dispose();
        _slots.Dispose();
    }
}
