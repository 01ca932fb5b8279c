using System.Net;

namespace VptSp.Web.Security;

/// <summary>
/// Guards the open (loopback, no token) mode against other web sites: state-changing API calls from another
/// origin are refused (a page elsewhere could otherwise POST /api/runs/{id}/cancel through the user's browser),
/// and on loopback only loopback host names are served (against DNS rebinding).
/// </summary>
public sealed class CrossSiteGuardMiddleware(RequestDelegate next, AccessPolicy policy)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!policy.Required && !IsLoopbackHost(request.Host.Host))
        {
            await Refuse(context, $"host '{request.Host.Host}' is not served on loopback: open the dashboard at 127.0.0.1 or localhost");
            return;
        }
        var stateChanging = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        if (stateChanging && request.Path.StartsWithSegments("/api") && request.Headers.Origin.FirstOrDefault() is { Length: > 0 } origin
            && !SameOrigin(origin, request))
        {
            await Refuse(context, $"cross-origin request from {origin} refused");
            return;
        }
        await next(context);
    }

    private static bool SameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var o)
        && string.Equals(o.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static Task Refuse(HttpContext context, string detail) =>
        TypedResults.Problem(title: "Forbidden", detail: detail, statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
}
