using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using VptSp.Core.Data.Images;
using VptSp.Core.Inference.Retrieval;
using VptSp.Web.Services.Retrieval;
using VptSp.Runs;

namespace VptSp.Web.Apis;

/// <summary>
/// Image search over completed runs: <c>POST /api/search</c> (multipart <c>image</c> or <c>galleryIndex</c>, <c>runId</c>, <c>k</c>),
/// <c>GET /api/runs/{id}/gallery</c>, <c>GET /api/runs/{id}/gallery/{index}/image</c> (only images of that run's stored
/// gallery, addressed by index — no client path reaches the file system) and <c>GET /api/runs/{id}/failures</c>.
/// </summary>
public static class SearchApi
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Search")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/search", SearchAsync).WithName("Search").DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Top-k gallery images of a completed run for an uploaded image (or a gallery image)");
        api.MapGet("/runs/{id:long}/gallery", GalleryAsync).WithName("GetRunGallery");
        api.MapGet("/runs/{id:long}/gallery/{index:int}/image", GalleryImageAsync).WithName("GetRunGalleryImage");
        api.MapGet("/runs/{id:long}/queries/{index:int}/image", QueryImageAsync).WithName("GetRunQueryImage")
            .WithSummary("A query image of the run's failure gallery (In-Shop: the query split; otherwise the gallery)");
        api.MapGet("/runs/{id:long}/failures", FailuresAsync).WithName("GetRunFailures")
            .WithSummary("Test classes by Recall@1, each with its worst queries and their wrong neighbours");
        return app;
    }

    public static string ImageUrl(long runId, int index) => $"/api/runs/{runId}/gallery/{index}/image";

    public static string QueryImageUrl(long runId, int index) => $"/api/runs/{runId}/queries/{index}/image";

    private static async Task<Ok<SearchResponse>> SearchAsync(
        HttpRequest request, RetrievalService retrieval, SearchService search, CancellationToken ct)
    {
        var options = retrieval.Options;
        var limit = options.MaxRequestBytes;
        if (request.ContentLength > limit) throw TooLarge(request.ContentLength.Value, limit);
        if (!request.HasFormContentType)
            throw new UnsupportedMediaTypeException("image", "multipart/form-data with an 'image' file and a 'runId' is expected");
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit;

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions
            {
                MultipartBodyLengthLimit = limit,
                ValueCountLimit = 16,
                ValueLengthLimit = 1024,
                MultipartHeadersLengthLimit = 8 * 1024,
            }, ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(null, limit);
        }
        catch (InvalidDataException ex) when (ex.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase))
        {
            throw TooLarge(null, limit);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            throw new InvalidRunInputException("image", $"unreadable multipart body: {ex.Message}");
        }

        if (!long.TryParse(form["runId"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var runId))
            throw new InvalidRunInputException("runId", "'runId' (a run id) is required");
        var k = search.ParseK(form.TryGetValue("k", out var kValue) ? kValue.ToString() : null);

        SearchQueryInput query;
        if (form.Files.GetFile("image") is { } file)
        {
            if (file.Length > limit) throw TooLarge(file.Length, limit);
            if (file.Length == 0) throw new InvalidRunInputException("image", "the uploaded 'image' is empty");
            var bytes = new byte[file.Length];
            await using (var stream = file.OpenReadStream())
                await stream.ReadExactlyAsync(bytes, ct);
            query = new SearchQueryInput.Upload(bytes);
        }
        else if (form.ContainsKey("galleryIndex"))
        {
            if (!int.TryParse(form["galleryIndex"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var index))
                throw new InvalidRunInputException("galleryIndex", "'galleryIndex' must be a whole number");
            query = new SearchQueryInput.GalleryImage(runId, index);
        }
        else
        {
            throw new InvalidRunInputException("image", "an 'image' file (or a 'galleryIndex') is required");
        }
        return TypedResults.Ok(ToResponse(await search.SearchAsync(runId, query, k, ct)));
    }

    private static SearchResponse ToResponse(RunSearchResult r)
    {
        var s = r.Search;
        return new SearchResponse(r.RunId, r.K, Math.Round(r.ElapsedMs, 2),
            s.Results.Select(h => new SearchHitResponse(h.Rank, h.Score, h.ClassName, ImageUrl(r.RunId, h.Index), h.Index)).ToList(),
            s.IndexKind, s.GallerySize, new SearchTimingsResponse(Math.Round(s.DecodeMs, 3), Math.Round(s.EmbedMs, 3), Math.Round(s.SearchMs, 3)),
            s.QueryIndex, s.QueryClass, s.FirstCorrectRank);
    }

    private static async Task<Ok<GalleryResponse>> GalleryAsync(
        long id, RetrievalService service, int? offset, int? limit, CancellationToken ct)
    {
        var from = offset ?? 0;
        var take = limit ?? 100;
        if (from < 0) throw new InvalidRunInputException("offset", "'offset' must not be negative");
        if (take is < 1 or > 1000) throw new InvalidRunInputException("limit", "'limit' must be from 1 to 1000");
        var g = await service.GalleryAsync(id, ct);
        var images = g.Images.Skip(from).Take(take)
            .Select((img, i) => new GalleryImageResponse(from + i, g.ClassNames[img.Label], ImageUrl(id, from + i))).ToList();
        return TypedResults.Ok(new GalleryResponse(id, g.Dataset, g.Split, g.Images.Count, g.ClassNames, from, images));
    }

    private static async Task<PhysicalFileHttpResult> GalleryImageAsync(long id, int index, RetrievalService service, CancellationToken ct)
    {
        var path = await service.GalleryImagePathAsync(id, index, ct);
        var type = ContentTypes.TryGetContentType(path, out var t) ? t : "application/octet-stream";
        return TypedResults.PhysicalFile(path, type, enableRangeProcessing: false);
    }

    private static async Task<PhysicalFileHttpResult> QueryImageAsync(long id, int index, RetrievalService service, CancellationToken ct)
    {
        var path = await service.QueryImagePathAsync(id, index, ct);
        var type = ContentTypes.TryGetContentType(path, out var t) ? t : "application/octet-stream";
        return TypedResults.PhysicalFile(path, type, enableRangeProcessing: false);
    }

    private static async Task<Ok<FailuresResponse>> FailuresAsync(long id, RetrievalService service, CancellationToken ct)
    {
        var (report, gallery) = await service.FailuresAsync(id, ct);
        var classes = report.Classes.Select(c => new ClassFailuresResponse(c.ClassName, c.Queries, c.RecallAt1,
            c.Worst.Select(q => new FailedQueryResponse(q.QueryIndex, report.QueriesAreGallery ? ImageUrl(id, q.QueryIndex) : QueryImageUrl(id, q.QueryIndex),
                q.FirstCorrectRank, q.BestCorrectScore,
                q.Neighbours.Select((n, i) => new FailureNeighbourResponse(i + 1, n.Score, gallery.ClassNames[n.Label], n.Correct,
                    ImageUrl(id, n.Index), n.Index)).ToList())).ToList())).ToList();
        return TypedResults.Ok(new FailuresResponse(id, report.Queries, report.RecallAt1, report.QueriesAreGallery, classes));
    }

    private static ImageRejectedException TooLarge(long? actual, long limit) =>
        new(ImageRejectionReason.TooLarge,
            actual is { } a ? $"the request has {a:N0} bytes; the limit is {limit:N0} bytes" : $"the request exceeds the {limit:N0}-byte limit");
}
