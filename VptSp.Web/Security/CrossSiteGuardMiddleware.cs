using System.Net;

namespace VptSp.Web.Security;

/// <summary>
/// Guards the dashboard against other web sites and, in the open (loopback, no token) mode, against other users:
/// <list type="bullet">
/// <item>state-changing API calls from another origin are refused (a page elsewhere could otherwise POST
/// /api/runs/{id}/cancel through the user's browser);</item>
/// <item>the SignalR hubs (<c>/hubs/*</c> and Blazor's own <c>/_blazor</c>) are refused to another origin whatever the
/// method: a WebSocket handshake is a GET, and a cross-origin page would otherwise read live progress or drive a circuit;</item>
/// <item>on loopback only loopback host names are served (against DNS rebinding);</item>
/// <item>in the automatic open mode a request that came through a proxy (<c>X-Forwarded-For</c>, <c>Forwarded</c>,
/// <c>X-Real-IP</c>) is refused: a same-host reverse proxy connects from loopback on behalf of anyone who can reach it.</item>
/// </list>
/// </summary>
public sealed class CrossSiteGuardMiddleware(RequestDelegate next, AccessPolicy policy)
{
    /// <summary>Headers a reverse proxy adds for the client it forwards.</summary>
    public static readonly IReadOnlyList<string> ProxyHeaders = ["X-Forwarded-For", "Forwarded", "X-Real-IP"];

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!policy.Required && policy.Forced is null && ProxyHeaders.FirstOrDefault(h => request.Headers.ContainsKey(h)) is { } proxyHeader)
        {
            await Refuse(context, $"this request came through a proxy ({proxyHeader}) but the server runs in open loopback mode, which trusts only local users: "
                + "set Security:RequireToken=true and a Security:Token of at least 16 characters (see README, \"Serving to a team\")");
            return;
        }
        if (!policy.Required && !IsLoopbackHost(request.Host.Host))
        {
            await Refuse(context, $"host '{request.Host.Host}' is not served on loopback: open the dashboard at 127.0.0.1 or localhost");
            return;
        }
        if (NeedsSameOrigin(request) && request.Headers.Origin.FirstOrDefault() is { Length: > 0 } origin && !SameOrigin(origin, request))
        {
            await Refuse(context, $"cross-origin request from {origin} refused");
            return;
        }
        await next(context);
    }

    /// <summary>State-changing API calls and every hub request (negotiate, WebSocket, long polling) must come from this origin.</summary>
    public static bool NeedsSameOrigin(HttpRequest request)
    {
        if (request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/_blazor")) return true;
        var stateChanging = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        return stateChanging && request.Path.StartsWithSegments("/api");
    }

    public static bool SameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var o)
        && string.Equals(o.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static Task Refuse(HttpContext context, string detail) =>
        TypedResults.Problem(title: "Forbidden", detail: detail, statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
}
