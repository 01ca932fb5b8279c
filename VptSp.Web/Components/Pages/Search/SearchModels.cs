using VptSp.Web.Services.Retrieval;

namespace VptSp.Web.Components.Pages.Search;

/// <summary>What the search page shows for one run: its result, or why there is none.</summary>
public sealed record RunSearchView(long RunId, string RunName, RunSearchResult? Result, string? Error)
{
    /// <summary>For gallery queries: the rank of the first result of the query's class (by class name, so it works across runs).</summary>
    public int? FirstCorrectRank(string? queryClass) =>
        queryClass is null || Result is null ? null
            : Result.Search.Results.FirstOrDefault(r => r.ClassName == queryClass)?.Rank;
}

/// <summary>The current query: an upload (with a preview when small) or a gallery image of a run.</summary>
public sealed record SearchQuery(string Description, string? PreviewUrl, long? GalleryRunId = null, int? GalleryIndex = null, string? ClassName = null);
