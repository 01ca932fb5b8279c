using Microsoft.AspNetCore.Http.Extensions;

namespace VptSp.Web.Security;

/// <summary>Where a <c>?token=</c> request is sent once the cookie is set: the same path and query, without the token.</summary>
public static class TokenRedirect
{
    /// <summary>
    /// A path-absolute URL on this server. Leading slashes (and backslashes, which browsers read as slashes) collapse to
    /// one, so <c>//evil.example/?token=…</c> cannot become a redirect to another host.
    /// </summary>
    public static string WithoutToken(HttpRequest request)
    {
        var path = (request.PathBase + request.Path).ToUriComponent();
        path = "/" + path.TrimStart('/', '\\');
        var query = new QueryBuilder(request.Query
            .Where(q => !string.Equals(q.Key, "token", StringComparison.Ordinal))
            .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? ""))));
        return path + query.ToQueryString();
    }
}
