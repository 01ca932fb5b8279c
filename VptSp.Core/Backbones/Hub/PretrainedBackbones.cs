namespace VptSp.Core.Backbones.Hub;

/// <summary>A name's published weights in the hub cache, with their provenance.</summary>
/// <param name="Weights">The snapshot's <c>model.safetensors</c> (its <c>config.json</c> lies beside it).</param>
/// <param name="Sha256">The weights' sha256 (their LFS etag).</param>
public sealed record PretrainedWeights(string Name, string Repo, string Commit, string Weights, string Sha256)
{
    /// <summary>One line: "hub timm/x.tag @ commit, sha256 …".</summary>
    public string Provenance => $"hub {Repo} @ {Commit}, sha256 {Sha256}";
}

/// <summary>Pretrained weights of timm names (<see cref="PretrainedNames"/>) through the Hub cache (<see cref="HubClient"/>).</summary>
public static class PretrainedBackbones
{
    public const string WeightsFile = "model.safetensors";

    /// <summary>
    /// The weights of <paramref name="name"/>, downloaded (with its config.json) when not cached. Throws
    /// <see cref="Diagnostics.UserFacingException"/> when the name has no published weights or the Hub refuses.
    /// </summary>
    public static async Task<PretrainedWeights> FetchAsync(string name, HubSettings? settings = null,
        IProgress<DownloadProgress>? progress = null, CancellationToken ct = default)
    {
        var resolved = PretrainedNames.Resolve(name)
            ?? throw new Diagnostics.UserFacingException($"{name} has no published weights; known names: {string.Join(", ", PretrainedNames.Known)}");
        using var client = new HubClient(settings ?? HubSettings.FromEnvironment());
        // config.json first: small, and a gated or missing repo fails before the large file starts
        await client.FetchAsync(resolved.Repo, PretrainedCfg.FileName, ct: ct);
        var weights = await client.FetchAsync(resolved.Repo, WeightsFile, progress, ct: ct);
        return new PretrainedWeights(name, resolved.Repo, weights.Commit, weights.Path, weights.Etag);
    }

    /// <summary><see cref="FetchAsync"/> for synchronous callers (the training thread, the CLI).</summary>
    public static PretrainedWeights Fetch(string name, HubSettings? settings = null, IProgress<DownloadProgress>? progress = null,
        CancellationToken ct = default) =>
        Task.Run(() => FetchAsync(name, settings, progress, ct), ct).GetAwaiter().GetResult();

    /// <summary>The cached weights of <paramref name="name"/> (no network), or null.</summary>
    public static string? Cached(string name, HubSettings? settings = null)
    {
        var resolved = PretrainedNames.Resolve(name);
        if (resolved is null) return null;
        return new HubCache((settings ?? HubSettings.FromEnvironment()).CacheDir, resolved.Repo).TryFind(WeightsFile);
    }
}
