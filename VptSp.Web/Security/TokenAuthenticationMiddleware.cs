using Microsoft.AspNetCore.Http.HttpResults;

namespace VptSp.Web.Security;

/// <summary>
/// When <see cref="AccessPolicy.Required"/>: every request (pages, API, hub) needs the token, as
/// <c>Authorization: Bearer …</c>, the <see cref="CookieName"/> cookie, <c>?access_token=</c> (SignalR) or
/// <c>?token=</c> (which sets the cookie, as notebook servers do, and on GET/HEAD redirects to the same URL without
/// the token, so it does not stay in the address bar, the history or a Referer). Otherwise 401 with ProblemDetails.
/// </summary>
public sealed class TokenAuthenticationMiddleware(RequestDelegate next, AccessPolicy policy)
{
    public const string CookieName = "vptsp_token";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!policy.Required)
        {
            await next(context);
            return;
        }
        var query = context.Request.Query;
        if (policy.Matches(query["token"].FirstOrDefault()))
        {
            context.Response.Cookies.Append(CookieName, policy.Token, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                IsEssential = true,
            });
            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status303SeeOther;
                context.Response.Headers.Location = TokenRedirect.WithoutToken(context.Request);
                context.Response.Headers.CacheControl = "no-store";
                return;
            }
            await next(context);
            return;
        }
        var header = context.Request.Headers.Authorization.FirstOrDefault();
        var bearer = header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..] : null;
        if (policy.Matches(bearer) || policy.Matches(context.Request.Cookies[CookieName]) || policy.Matches(query["access_token"].FirstOrDefault()))
        {
            await next(context);
            return;
        }
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await TypedResults.Problem(
            title: "Unauthorized",
            detail: "this server is reachable beyond loopback: open the URL with ?token=… as printed at start-up, or send Authorization: Bearer <token>",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
    }
}
