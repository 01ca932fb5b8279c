using VptSp.Core.Data.Images;
using VptSp.Core.Modeling.Checkpoints;
using VptSp.Core.Training;
using VptSp.Web.Services.Retrieval;

namespace VptSp.Web.Apis;

/// <summary>
/// Maps search errors to ProblemDetails: a refused image → 413 (too large), 415 (not an image, unsupported format)
/// or 400 (truncated, too many pixels) with its reason; an unknown gallery image → 404; no free search slot → 503;
/// a run whose files cannot be searched → 409. Run lookups and bad arguments fall through to <see cref="ApiErrorFilter"/>.
/// </summary>
internal sealed class SearchErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ImageRejectedException ex)
        {
            return ImageProblem(ex);
        }
        catch (GalleryImageNotFoundException ex)
        {
            return TypedResults.Problem(title: "Gallery image not found", detail: ex.Message, statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["runId"] = ex.RunId, ["index"] = ex.Index });
        }
        catch (SearchBusyException ex)
        {
            return TypedResults.Problem(title: "Search busy", detail: ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or CheckpointMismatchException or ConfigException)
        {
            // the run's files, its dataset or its backbone checkpoint are missing or no longer fit: nothing the request can fix
            return TypedResults.Problem(title: "The run cannot be searched", detail: ex.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    public static int StatusFor(ImageRejectionReason reason) => reason switch
    {
        ImageRejectionReason.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ImageRejectionReason.NotAnImage or ImageRejectionReason.UnsupportedFormat => StatusCodes.Status415UnsupportedMediaType,
        _ => StatusCodes.Status400BadRequest,
    };

    public static IResult ImageProblem(ImageRejectedException ex) =>
        TypedResults.Problem(title: "Image refused", detail: ex.Message, statusCode: StatusFor(ex.Reason),
            extensions: new Dictionary<string, object?> { ["reason"] = ex.Reason.ToString(), ["field"] = "image" });
}
