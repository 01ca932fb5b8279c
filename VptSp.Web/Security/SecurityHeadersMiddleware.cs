using System.Security.Cryptography;

namespace VptSp.Web.Security;

/// <summary>
/// Response headers that keep the dashboard out of frames and stop injected markup from running script:
/// a Content-Security-Policy (scripts only from this origin, plus the one inline import map by per-request nonce;
/// styles may be inline because MudBlazor and Blazor set <c>style</c> attributes; no <c>'unsafe-eval'</c>, which
/// Blazor Server does not need), <c>frame-ancestors 'none'</c> with <c>X-Frame-Options: DENY</c>,
/// <c>X-Content-Type-Options: nosniff</c> and <c>Referrer-Policy: no-referrer</c>.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    private const string NonceItem = "VptSp.CspNonce";

    /// <summary>The nonce of this request's CSP, for the one inline script the app renders (Blazor's import map).</summary>
    public static string Nonce(HttpContext context)
    {
        if (context.Items[NonceItem] is string nonce) return nonce;
        nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)); // hex: nothing for HTML to encode in the attribute
        context.Items[NonceItem] = nonce;
        return nonce;
    }

    public static string ContentSecurityPolicy(string nonce) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var nonce = Nonce(context); // re-executed requests (error and status pages) keep the first nonce
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
