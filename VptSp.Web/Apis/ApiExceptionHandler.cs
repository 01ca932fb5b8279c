using Microsoft.AspNetCore.Diagnostics;
using VptSp.Web.Extensions;

namespace VptSp.Web.Apis;

/// <summary>Unhandled exceptions under /api, /hubs and /openapi become a 500 ProblemDetails (pages keep the /Error page).</summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!context.IsApiOrHub()) return false;
        context.Response.StatusCode = exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = context.Response.StatusCode, Title = "The server could not complete the request" },
        });
    }
}
