using System.Globalization;
using VptSp.Runs;

namespace VptSp.Web.Services.Retrieval;

/// <summary>What a search asks for: an uploaded image, or gallery image <c>Index</c> of run <c>GalleryRunId</c>.</summary>
public abstract record SearchQueryInput
{
    public sealed record Upload(byte[] Image, string Source = "upload") : SearchQueryInput;

    public sealed record GalleryImage(long GalleryRunId, int Index) : SearchQueryInput;
}

/// <summary>
/// Searches for the search page and <c>POST /api/search</c>: the one place that validates <c>k</c>, and the cross-run
/// logic of a gallery query (the query's run and the searched run may differ). Over <see cref="RetrievalService"/>.
/// </summary>
public sealed class SearchService(RetrievalService retrieval)
{
    private static readonly int[] KMenu = [5, 10, 20, 50, 100];

    /// <summary>The k values the page offers (those within <c>MaxK</c>).</summary>
    public IReadOnlyList<int> KChoices => KMenu.Where(k => k <= retrieval.Options.MaxK).DefaultIfEmpty(retrieval.Options.MaxK).ToList();

    /// <summary>k when a request names none: the configured default, within <c>MaxK</c>.</summary>
    public int DefaultK => Math.Min(retrieval.Options.DefaultK, retrieval.Options.MaxK);

    /// <summary><paramref name="k"/> when it is within 1..MaxK, else <see cref="InvalidRunInputException"/> naming "k".</summary>
    public int CheckK(int k) => k >= 1 && k <= retrieval.Options.MaxK ? k : throw BadK();

    /// <summary>A request's k field: absent → <see cref="DefaultK"/>; otherwise a whole number checked by <see cref="CheckK"/>.</summary>
    public int ParseK(string? value) =>
        value is null ? DefaultK
        : int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) ? CheckK(k) : throw BadK();

    /// <summary>Top-<paramref name="k"/> of <paramref name="query"/> in run <paramref name="runId"/>'s gallery.</summary>
    public async Task<RunSearchResult> SearchAsync(long runId, SearchQueryInput query, int k, CancellationToken ct = default)
    {
        CheckK(k);
        switch (query)
        {
            case SearchQueryInput.Upload upload:
                return await retrieval.SearchAsync(runId, upload.Image, k, upload.Source, ct);
            case SearchQueryInput.GalleryImage { GalleryRunId: var galleryRun, Index: var index } when galleryRun == runId:
                return await retrieval.SearchGalleryImageAsync(runId, index, k, ct);
            case SearchQueryInput.GalleryImage { GalleryRunId: var galleryRun, Index: var index }:
                // another run's gallery image: when both runs share the gallery, search by index there too (the query is excluded)
                var path = await retrieval.GalleryImagePathAsync(galleryRun, index, ct);
                var other = await retrieval.GalleryAsync(runId, ct);
                if (index < other.Images.Count && other.Images[index].Path == path)
                    return await retrieval.SearchGalleryImageAsync(runId, index, k, ct);
                return await retrieval.SearchAsync(runId, await File.ReadAllBytesAsync(path, ct), k, ct: ct);
            default:
                throw new ArgumentOutOfRangeException(nameof(query));
        }
    }

    private InvalidRunInputException BadK() => new("k", $"'k' must be a whole number from 1 to {retrieval.Options.MaxK}");
}
