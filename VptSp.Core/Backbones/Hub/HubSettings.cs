namespace VptSp.Core.Backbones.Hub;

/// <summary>
/// The Hugging Face Hub settings, read from the variables huggingface_hub reads: <c>HF_ENDPOINT</c>, <c>HF_TOKEN</c>,
/// <c>HF_HUB_OFFLINE</c> and the cache root (<see cref="CacheRoot"/>).
/// </summary>
/// <param name="Endpoint">The Hub's base address (no trailing slash).</param>
/// <param name="Token">A user access token sent as <c>Authorization: Bearer</c> to the endpoint's host only; null = anonymous.</param>
/// <param name="Offline">No network: only cached files are used.</param>
/// <param name="CacheDir">The hub cache root (<c>models--timm--…</c> folders live here).</param>
public sealed record HubSettings(string Endpoint, string? Token, bool Offline, string CacheDir)
{
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>The settings of this process's environment.</summary>
    public static HubSettings FromEnvironment()
    {
        var endpoint = Environment.GetEnvironmentVariable("HF_ENDPOINT");
        var token = Environment.GetEnvironmentVariable("HF_TOKEN");
        return new HubSettings(
            string.IsNullOrWhiteSpace(endpoint) ? DefaultEndpoint : endpoint.Trim().TrimEnd('/'),
            string.IsNullOrWhiteSpace(token) ? null : token.Trim(),
            IsTrue(Environment.GetEnvironmentVariable("HF_HUB_OFFLINE")),
            CacheRoot());
    }

    /// <summary>
    /// The hub cache root as huggingface_hub computes it: <c>$HF_HUB_CACHE</c>, else <c>$HF_HOME/hub</c>, else
    /// <c>~/.cache/huggingface/hub</c> (<c>$XDG_CACHE_HOME/huggingface/hub</c> when that is set, as huggingface_hub does).
    /// </summary>
    public static string CacheRoot()
    {
        var hubCache = Environment.GetEnvironmentVariable("HF_HUB_CACHE");
        if (!string.IsNullOrWhiteSpace(hubCache)) return Path.GetFullPath(Expand(hubCache));
        var home = Environment.GetEnvironmentVariable("HF_HOME");
        if (!string.IsNullOrWhiteSpace(home)) return Path.GetFullPath(Path.Combine(Expand(home), "hub"));
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var cache = string.IsNullOrWhiteSpace(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : Expand(xdg);
        return Path.GetFullPath(Path.Combine(cache, "huggingface", "hub"));
    }

    // huggingface_hub's constants._is_true
    private static bool IsTrue(string? value) =>
        value is not null && value.Trim().ToUpperInvariant() is "1" or "ON" or "YES" or "TRUE";

    private static string Expand(string path) =>
        path.StartsWith('~') ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..] : path;
}
