using VptSp.Core.Training;
using VptSp.Runs;
using VptSp.Runs.DataRoots;

namespace VptSp.Web.Services.Launch;

/// <summary>Where the Launch form starts: a config, what to submit as its source (a preset name or YAML text), and its fields.</summary>
public sealed record LaunchDraft(TrainingConfig Config, string Source, string Yaml, string SourceLabel, string? SourcePath,
    string? Preset = null, string? Tags = null);

/// <summary>
/// The Launch page's work: which preset to start from, loading a preset or a run to clone into a <see cref="LaunchDraft"/>,
/// the data roots and backbones to offer, and queueing the run. The page keeps only the form's state.
/// </summary>
public sealed class LaunchService(IRunService runs, IDataRootService dataRoots, ConfigPresets presets)
{
    public const string DefaultPreset = "emoji_vptsp_g";

    public IReadOnlyList<string> Presets => runs.Presets;

    /// <summary><paramref name="asked"/> when it is a preset, else <see cref="DefaultPreset"/>, else the first (null when there is none).</summary>
    public string? InitialPreset(string? asked) =>
        asked is not null && Presets.Contains(asked) ? asked
        : Presets.Contains(DefaultPreset) ? DefaultPreset : Presets.Count > 0 ? Presets[0] : null;

    public IReadOnlyList<DataRootInfo> DataRoots() => dataRoots.List();

    public Task<IReadOnlyList<BackboneCandidate>> BackbonesAsync(CancellationToken ct = default) => BackboneCandidate.FindAsync(runs, ct);

    /// <summary>A preset as the form's start; the data root is the first of <paramref name="roots"/> holding its dataset, else <paramref name="sourcePath"/>.</summary>
    public LaunchDraft FromPreset(string preset, IReadOnlyList<DataRootInfo> roots, string? sourcePath)
    {
        var config = presets.Load(preset);
        var root = roots.FirstOrDefault(r => r.Datasets.Any(d => d.Name == config.Dataset))?.Path ?? sourcePath;
        return new LaunchDraft(config, preset, File.ReadAllText(presets.PathOf(preset)), $"preset {preset}", root, Preset: preset);
    }

    /// <summary>Run <paramref name="id"/>'s config, data root and tags as the form's start (<see cref="RunNotFoundException"/> when it is gone).</summary>
    public async Task<LaunchDraft> CloneAsync(long id, CancellationToken ct = default)
    {
        var detail = await runs.GetAsync(id, ct);
        return new LaunchDraft(detail.Config, detail.Config.ToYaml(), detail.ConfigYaml, $"a clone of run #{id} ({detail.Summary.Name})",
            detail.SourcePath, Tags: string.Join(", ", detail.Summary.Tags));
    }

    /// <summary>Queues the run; returns its result and the line to show.</summary>
    public async Task<(SubmitResult Result, string Message)> SubmitAsync(RunSubmission submission, CancellationToken ct = default)
    {
        var result = await runs.SubmitAsync(submission, ct);
        return (result, result.Position <= 1
            ? $"Run #{result.Id} queued — it starts next."
            : $"Run #{result.Id} queued at position {result.Position}.");
    }
}
