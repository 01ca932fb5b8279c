using VptSp.Core.Data.Images;
using VptSp.Core.Modeling.Checkpoints;
using VptSp.Core.Training;
using VptSp.Runs;
using VptSp.Web.Services.Experiments;
using VptSp.Web.Services.Retrieval;

namespace VptSp.Web.Apis;

/// <summary>How one exception appears to an API client.</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, object?> Extensions);

/// <summary>
/// The web host's one exception → ProblemDetails table. Endpoints signal bad input by throwing; <see cref="ApiExceptionHandler"/>
/// writes what this table says, so an exception type has the same status on every route. Messages of the mapped (4xx/409/503)
/// types are written for users and are shown; anything else is a 500 whose detail, type and stack trace appear only in
/// Development.
/// </summary>
public static class ApiProblems
{
    public const string ServerErrorTitle = "The server could not complete the request";

    public static ApiProblem For(Exception ex, bool development) => ex switch
    {
        RunNotFoundException e => New(StatusCodes.Status404NotFound, "Run not found", e, ("runId", e.Id)),
        RunFileNotFoundException e => New(StatusCodes.Status404NotFound, "Run file not found", e, ("runId", e.RunId), ("path", e.Path)),
        GalleryImageNotFoundException e => New(StatusCodes.Status404NotFound, "Gallery image not found", e, ("runId", e.RunId), ("index", e.Index)),
        ImageRejectedException e => New(StatusFor(e.Reason), "Image refused", e, ("reason", e.Reason.ToString()), ("field", "image")),
        ConfigException e => New(StatusCodes.Status400BadRequest, "Invalid config", e, ("key", e.Key)),
        InvalidRunInputException e => New(StatusCodes.Status400BadRequest, "Invalid request", e, ("field", e.Field)),
        UnsupportedMediaTypeException e => New(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", e, ("field", e.Field)),
        SweepNotFoundException e => New(StatusCodes.Status404NotFound, "Sweep not found", e, ("sweepId", e.Id)),
        InvalidSweepException e => New(StatusCodes.Status400BadRequest, "Invalid sweep", e, ("field", e.Field), ("key", e.Key), ("combination", e.Combination)),
        FormatException or ArgumentException => New(StatusCodes.Status400BadRequest, "Invalid request", ex),
        RunStateConflictException => New(StatusCodes.Status409Conflict, "Not possible in the run's current status", ex),
        SearchBusyException => New(StatusCodes.Status503ServiceUnavailable, "Search busy", ex),
        BadHttpRequestException e => new ApiProblem(e.StatusCode, "Bad request", e.Message, Empty),
        // a run's files, dataset or backbone checkpoint are missing or no longer fit: nothing the request can fix
        IOException or InvalidDataException or CheckpointMismatchException => New(StatusCodes.Status409Conflict, "The run's stored files cannot be used", ex),
        _ => development
            ? new ApiProblem(StatusCodes.Status500InternalServerError, ServerErrorTitle, ex.Message,
                new Dictionary<string, object?> { ["exceptionType"] = ex.GetType().FullName, ["stackTrace"] = ex.StackTrace })
            : new ApiProblem(StatusCodes.Status500InternalServerError, ServerErrorTitle, null, Empty),
    };

    /// <summary>413 too large, 415 not an image or an unsupported format, 400 otherwise (truncated, too many pixels).</summary>
    public static int StatusFor(ImageRejectionReason reason) => reason switch
    {
        ImageRejectionReason.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ImageRejectionReason.NotAnImage or ImageRejectionReason.UnsupportedFormat => StatusCodes.Status415UnsupportedMediaType,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>True when the table gives the exception its own status (an expected error), false for a 500.</summary>
    public static bool IsMapped(Exception ex) => For(ex, development: false).Status != StatusCodes.Status500InternalServerError;

    private static readonly IReadOnlyDictionary<string, object?> Empty = new Dictionary<string, object?>();

    private static ApiProblem New(int status, string title, Exception ex, params (string Key, object? Value)[] extensions) =>
        new(status, title, ex.Message, extensions.ToDictionary(e => e.Key, e => e.Value));
}
