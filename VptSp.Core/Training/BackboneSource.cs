using VptSp.Core.Backbones.Hub;

namespace VptSp.Core.Training;

/// <summary>Where a run's backbone weights came from (<see cref="ModelFactory.ResolveBackboneSource"/>): a Hub snapshot, a file, or random init.</summary>
/// <param name="Path">The checkpoint file; null = random init.</param>
/// <param name="Hub">The Hub weights when they came from there.</param>
public sealed record BackboneSource(string? Path, PretrainedWeights? Hub)
{
    public static readonly BackboneSource Random = new(null, null);

    public static BackboneSource FromHub(PretrainedWeights weights) => new(weights.Weights, weights);

    public static BackboneSource FromFile(string path) => new(path, null);

    /// <summary>One line for config.yaml's record, the log and the run page: "hub timm/x @ commit, sha256 …", "file …, sha256 …" or "random init".</summary>
    public string Describe(string? sha256) =>
        Hub is not null ? Hub.Provenance
        : Path is not null ? $"file {Path}, sha256 {sha256 ?? "?"}"
        : "random init";
}
