using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using VptSp.Web.Options;

namespace VptSp.Web.Security;

/// <summary>
/// Whether requests need the access token, and the token itself. Required when any listening address is not
/// loopback (or when Security:RequireToken forces it); the token is Security:Token or one generated at start-up.
/// </summary>
public sealed class AccessPolicy
{
    private readonly byte[] _tokenBytes;
    private bool _required;

    public AccessPolicy(IOptions<SecurityOptions> options, IConfiguration configuration)
    {
        var o = options.Value;
        TokenWasGenerated = string.IsNullOrWhiteSpace(o.Token);
        Token = TokenWasGenerated ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)) : o.Token!.Trim();
        _tokenBytes = System.Text.Encoding.UTF8.GetBytes(Token);
        Forced = o.RequireToken;
        _required = Forced ?? ConfiguredUrls(configuration).Any(u => !IsLoopback(u));
    }

    public string Token { get; }
    public bool TokenWasGenerated { get; }
    public bool? Forced { get; }
    public bool Required => Volatile.Read(ref _required);

    /// <summary>Re-decides from the addresses the server actually listens on (unless forced).</summary>
    public void ObserveListeningAddresses(IEnumerable<string> addresses)
    {
        if (Forced is null && addresses.Any(a => !IsLoopback(a))) Volatile.Write(ref _required, true);
    }

    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(candidate.Trim()), _tokenBytes);

    public static IEnumerable<string> ConfiguredUrls(IConfiguration configuration)
    {
        foreach (var u in (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            yield return u;
        foreach (var key in new[] { "http_ports", "https_ports" })
            foreach (var port in (configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                yield return $"http://*:{port}"; // ASPNETCORE_HTTP_PORTS binds every interface
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
            if (endpoint["Url"] is { Length: > 0 } url) yield return url;
    }

    public static bool IsLoopback(string url)
    {
        var host = url;
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) host = host[(scheme + 3)..];
        var slash = host.IndexOf('/');
        if (slash >= 0) host = host[..slash];
        if (host.StartsWith('['))
            host = host[1..host.IndexOf(']')];
        else if (host.LastIndexOf(':') is var colon and >= 0)
            host = host[..colon];
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }
}
