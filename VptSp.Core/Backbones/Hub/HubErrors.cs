using VptSp.Core.Diagnostics;

namespace VptSp.Core.Backbones.Hub;

/// <summary>The Hub failures a person can act on, each with what to do (one line on the CLI, a failed run's reason, ProblemDetails).</summary>
public static class HubErrors
{
    public static UserFacingException Offline(HubCache cache, string file) => new(
        $"{cache.Repo} ({file}) is not in the Hugging Face cache {cache.Root} and HF_HUB_OFFLINE is set: run " +
        $"`vptsp backbones pull {Name(cache.Repo)}` on a machine with internet, then copy its cache folder {cache.FolderName} into {cache.Root}");

    public static UserFacingException Gated(HubCache cache, string endpoint, bool hadToken, int status) => new(hadToken
        ? $"{cache.Repo} refused the token in HF_TOKEN (HTTP {status}): accept the model's terms at {endpoint}/{cache.Repo} with that account, or use a token with read access"
        : $"{cache.Repo} is gated or private (HTTP {status}): accept its terms at {endpoint}/{cache.Repo} and set HF_TOKEN to a Hugging Face access token");

    public static UserFacingException NotFound(HubCache cache, string file, string endpoint) => new(
        $"{endpoint} has no {cache.Repo} (file {file}): no such model or pretrained tag; known names: {string.Join(", ", PretrainedNames.Known)}");

    public static UserFacingException Unreachable(HubCache cache, string endpoint, Exception inner) => new(
        $"cannot download {cache.Repo} from {endpoint} ({inner.Message}); check HF_ENDPOINT and the network, or set HF_HUB_OFFLINE=1 " +
        $"with a cache copied from a machine that ran `vptsp backbones pull {Name(cache.Repo)}` (cache: {cache.Root})", inner);

    public static UserFacingException Status(HubCache cache, string url, int status) => new(
        $"downloading {cache.Repo} failed: HTTP {status} from {url}");

    public static UserFacingException NotHub(HubCache cache, string url, string missing) => new(
        $"{url} did not answer as the Hugging Face Hub does (no {missing} header) while fetching {cache.Repo}; check HF_ENDPOINT");

    public static UserFacingException CutShort(HubCache cache, string file, long have, long size) => new(
        $"the download of {cache.Repo}/{file} was cut short at {have} of {size} bytes, twice; it was deleted, try again");

    public static UserFacingException Corrupt(HubCache cache, string file, string expected, string actual) => new(
        $"the download of {cache.Repo}/{file} is corrupt (sha256 {actual}, the Hub says {expected}) after a retry; it was deleted, try again");

    private static string Name(string repo) => repo.StartsWith("timm/", StringComparison.Ordinal) ? repo[5..] : repo;
}
