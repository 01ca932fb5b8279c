namespace VptSp.Web.Apis;

public sealed record SearchHitResponse(int Rank, float Score, string Label, string ImageUrl, int GalleryIndex);

public sealed record SearchTimingsResponse(double DecodeMs, double EmbedMs, double SearchMs);

/// <param name="QueryIndex">The gallery image used as the query (gallery queries only).</param>
/// <param name="FirstCorrectRank">Gallery queries: rank of the first result of the query's class (null when none in the top k).</param>
public sealed record SearchResponse(
    long RunId,
    int K,
    double ElapsedMs,
    IReadOnlyList<SearchHitResponse> Results,
    string IndexKind,
    int GallerySize,
    SearchTimingsResponse Timings,
    int? QueryIndex,
    string? QueryLabel,
    int? FirstCorrectRank);

public sealed record GalleryImageResponse(int Index, string Label, string ImageUrl);

public sealed record GalleryResponse(long RunId, string Dataset, string Split, int Count, IReadOnlyList<string> ClassNames,
    int Offset, IReadOnlyList<GalleryImageResponse> Images);

public sealed record FailureNeighbourResponse(int Rank, float Score, string Label, bool Correct, string ImageUrl, int GalleryIndex);

/// <param name="ImageUrl">The query image (a gallery image, or for In-Shop one of its query split).</param>
public sealed record FailedQueryResponse(int QueryIndex, string ImageUrl, int FirstCorrectRank, float BestCorrectScore,
    IReadOnlyList<FailureNeighbourResponse> Neighbours);

public sealed record ClassFailuresResponse(string Label, int Queries, double RecallAt1, IReadOnlyList<FailedQueryResponse> Worst);

public sealed record FailuresResponse(long RunId, int Queries, double RecallAt1, bool QueriesAreGallery, IReadOnlyList<ClassFailuresResponse> Classes);
