namespace VptSp.Core.Inference.Retrieval;

/// <summary>One retrieved gallery image.</summary>
public sealed record RetrievedImage(int Rank, int Index, float Score, int Label, string ClassName);

/// <summary>The top-k of one query with where the time went (milliseconds).</summary>
/// <param name="QueryIndex">The gallery row used as the query (excluded from the results), or null for an uploaded image.</param>
/// <param name="FirstCorrectRank">For a gallery query: rank of the first result of its class among all results returned (null when none).</param>
/// <param name="QueryEngine">What embedded an uploaded query (null for a gallery query, whose embedding is stored).</param>
public sealed record SearchResult(
    IReadOnlyList<RetrievedImage> Results,
    string IndexKind,
    int GallerySize,
    double DecodeMs,
    double EmbedMs,
    double SearchMs,
    int? QueryIndex = null,
    string? QueryClass = null,
    int? FirstCorrectRank = null,
    QueryEngine? QueryEngine = null)
{
    public double TotalMs => DecodeMs + EmbedMs + SearchMs;
}

/// <summary>The gallery of a run: its images in row order and its class names.</summary>
public sealed record GalleryListing(string Dataset, string Split, IReadOnlyList<StoredImage> Images, IReadOnlyList<string> ClassNames);
