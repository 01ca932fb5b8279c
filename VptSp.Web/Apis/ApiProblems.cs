using VptSp.Web.Services.Errors;

namespace VptSp.Web.Apis;

/// <summary>How one exception appears to an API client.</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, object?> Extensions);

/// <summary>
/// <see cref="ErrorPolicy"/> written as ProblemDetails: <see cref="ApiExceptionHandler"/> writes what this says, so an
/// exception type has the same status on every route (and the same verdict on the pages). Messages of user-facing
/// errors are shown; a server fault is a 500 whose detail, type and stack trace appear only in Development.
/// </summary>
public static class ApiProblems
{
    public const string ServerErrorTitle = ErrorPolicy.ServerErrorTitle;

    public static ApiProblem For(Exception ex, bool development)
    {
        var verdict = ErrorPolicy.For(ex);
        if (verdict.ForUsers) return new ApiProblem(verdict.Status, verdict.Title, ex.Message, verdict.Extensions);
        return development
            ? new ApiProblem(verdict.Status, verdict.Title, ex.Message,
                new Dictionary<string, object?> { ["exceptionType"] = ex.GetType().FullName, ["stackTrace"] = ex.StackTrace })
            : new ApiProblem(verdict.Status, verdict.Title, null, verdict.Extensions);
    }

    /// <summary>True when the exception is the user's (an expected error), false for a 500.</summary>
    public static bool IsMapped(Exception ex) => ErrorPolicy.IsForUsers(ex);
}
