using Microsoft.AspNetCore.Http.HttpResults;

namespace VptSp.Web.Security;

/// <summary>
/// When <see cref="AccessPolicy.Required"/>: every request (pages, API, hub) needs the token, as
/// <c>Authorization: Bearer …</c>, the <see cref="CookieName"/> cookie, <c>?access_token=</c> (SignalR) or
/// <c>?token=</c> (which also sets the cookie, as notebook servers do). Otherwise 401 with ProblemDetails.
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
