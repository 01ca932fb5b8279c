using Microsoft.AspNetCore.Diagnostics;
using VptSp.Web.Extensions;

namespace VptSp.Web.Apis;

/// <summary>
/// Every exception under /api, /hubs and /openapi becomes the ProblemDetails that <see cref="ApiProblems"/> names
/// (pages keep the /Error page). The only place the web host turns exceptions into responses.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problemDetails, IHostEnvironment environment) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!context.IsApiOrHub()) return false;
        var development = environment.IsDevelopment();
        var problem = ApiProblems.For(exception, development);
        context.Response.StatusCode = problem.Status;
        var details = new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = development ? exception : null,
            ProblemDetails = { Status = problem.Status, Title = problem.Title, Detail = problem.Detail },
        };
        foreach (var (key, value) in problem.Extensions) details.ProblemDetails.Extensions[key] = value;
        return await problemDetails.TryWriteAsync(details);
    }

    /// <summary>Mapped client errors are expected: only server errors are logged as unhandled.</summary>
    public static bool IsServerError(Exception exception) => !ApiProblems.IsMapped(exception);
}
