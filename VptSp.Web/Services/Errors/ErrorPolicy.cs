using VptSp.Core.Data.Images;
using VptSp.Core.Diagnostics;
using VptSp.Core.Modeling.Checkpoints;
using VptSp.Core.Training;
using VptSp.Runs;
using VptSp.Runs.Checkpoints;
using VptSp.Web.Apis;
using VptSp.Web.Services.Experiments;
using VptSp.Web.Services.Retrieval;

namespace VptSp.Web.Services.Errors;

/// <summary>What the web host does with one exception: its status, title and extensions, and whether its message is shown.</summary>
/// <param name="ForUsers">True: the user's fault (or a refusal meant for them) — the message is shown. False: a server fault — 500, generic text, logged.</param>
public sealed record ErrorVerdict(int Status, string Title, bool ForUsers, IReadOnlyDictionary<string, object?> Extensions);

/// <summary>
/// The web host's one error table, used by the API exception handler (<see cref="ApiProblems"/>) and by pages
/// (<see cref="PageErrors"/>). Whether an exception is the user's is Core's <see cref="UserErrors.IsForUsers"/> (the
/// CLI and worker use the same list); this table only adds statuses, titles and web-only types. So a bare
/// <see cref="InvalidOperationException"/> is a 500 here and "unexpected error" there; refusals meant for users throw
/// <see cref="UserFacingException"/> (or a type deriving from it).
/// </summary>
public static class ErrorPolicy
{
    public const string ServerErrorTitle = "The server could not complete the request";

    /// <summary>What pages show for a server fault (the details go to the log).</summary>
    public const string ServerErrorText = "something went wrong on the server; the details are in its log";

    public static ErrorVerdict For(Exception ex) => ex switch
    {
        RunNotFoundException e => User(404, "Run not found", ("runId", e.Id)),
        RunFileNotFoundException e => User(404, "Run file not found", ("runId", e.RunId), ("path", e.Path)),
        GalleryImageNotFoundException e => User(404, "Gallery image not found", ("runId", e.RunId), ("index", e.Index)),
        ImageRejectedException e => User(StatusFor(e.Reason), "Image refused", ("reason", e.Reason.ToString()), ("field", "image")),
        ConfigException e => User(400, "Invalid config", ("key", e.Key)),
        InvalidRunInputException e => User(400, "Invalid request", ("field", e.Field)),
        UnsupportedMediaTypeException e => User(415, "Unsupported media type", ("field", e.Field)),
        SweepNotFoundException e => User(404, "Sweep not found", ("sweepId", e.Id)),
        InvalidSweepException e => User(400, "Invalid sweep", ("field", e.Field), ("key", e.Key), ("combination", e.Combination)),
        FormatException or ArgumentException => User(400, "Invalid request"),
        CheckpointExistsException e => User(409, "Checkpoint exists", ("file", e.Name)),
        CheckpointQuotaException e => User(413, "Checkpoint quota exceeded", ("quotaBytes", e.QuotaBytes)),
        RunStateConflictException => User(409, "Not possible in the run's current status"),
        SearchBusyException => User(503, "Search busy"),
        BadHttpRequestException e => User(e.StatusCode, "Bad request"),
        // a run's files, dataset or backbone checkpoint are missing or no longer fit: nothing the request can fix
        IOException or InvalidDataException or UnauthorizedAccessException or CheckpointMismatchException =>
            User(409, "The run's stored files cannot be used"),
        // any other type Core calls user-facing (a UserFacingException: nothing to resume, a demo step failed …)
        _ when UserErrors.IsForUsers(ex) => User(409, "The request cannot be completed now"),
        _ => new ErrorVerdict(500, ServerErrorTitle, false, NoExtensions),
    };

    /// <summary>True when the exception is the user's (its message is shown), false for a server fault.</summary>
    public static bool IsForUsers(Exception ex) => For(ex).ForUsers;

    /// <summary>The text a user sees: the message of a user-facing error, <see cref="ServerErrorText"/> otherwise.</summary>
    public static string UserMessage(Exception ex) => IsForUsers(ex) ? ex.Message : ServerErrorText;

    /// <summary>413 too large, 415 not an image or an unsupported format, 400 otherwise (truncated, too many pixels).</summary>
    public static int StatusFor(ImageRejectionReason reason) => reason switch
    {
        ImageRejectionReason.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ImageRejectionReason.NotAnImage or ImageRejectionReason.UnsupportedFormat => StatusCodes.Status415UnsupportedMediaType,
        _ => StatusCodes.Status400BadRequest,
    };

    private static readonly IReadOnlyDictionary<string, object?> NoExtensions = new Dictionary<string, object?>();

    private static ErrorVerdict User(int status, string title, params (string Key, object? Value)[] extensions) =>
        new(status, title, true, extensions.Length == 0 ? NoExtensions : extensions.ToDictionary(e => e.Key, e => e.Value));
}
