using Microsoft.Extensions.Options;
using VptSp.Core.Naming;
using VptSp.Core.Training;
using VptSp.Runs.Options;

using VptSp.Runs.DataRoots;
using VptSp.Runs.Paths;

namespace VptSp.Runs;

/// <summary>Turns a <see cref="RunSubmission"/> into a validated config; every error names the field or config key.</summary>
public sealed class RunSubmissionValidator(ConfigPresets presets, IDataRootService dataRoots, IOptions<StorageOptions> storage, PathPolicy paths,
    IOptions<WorkerOptions> workers)
{
    public const int MaxConfigChars = 64 * 1024;
    public const int MaxOverrides = 100;
    public const int MaxNameChars = NameRules.MaxRunNameChars;
    public const int MaxTags = 20;
    public const int MaxTagChars = NameRules.MaxTagChars;
    public const int MaxNotesChars = 10_000;
    public const string YamlPreset = "(yaml)";

    public sealed record Resolved(TrainingConfig Config, string Preset, string Name, string? SourcePath, IReadOnlyList<string> Tags,
        string Device = RunDevices.Auto, bool AutoResume = false);

    public Resolved Resolve(RunSubmission s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (string.IsNullOrWhiteSpace(s.Config))
            throw new InvalidRunInputException("config", "config: give a preset name or YAML text");
        if (s.Config.Length > MaxConfigChars)
            throw new InvalidRunInputException("config", $"config: longer than {MaxConfigChars} characters");
        var text = s.Config.Trim();
        if (!presets.Contains(text) && !text.Contains(':'))
            throw new InvalidRunInputException("config", $"config: no preset named '{Shorten(text)}' (known: {string.Join(", ", presets.Names)})");
        var preset = presets.Contains(text) ? text : YamlPreset;
        var config = presets.Resolve(text, "config");
        if (s.Overrides is { Count: > 0 } overrides)
        {
            if (overrides.Count > MaxOverrides)
                throw new InvalidRunInputException("overrides", $"overrides: more than {MaxOverrides} entries");
            config = config.WithOverrides(overrides);
        }
        var name = string.IsNullOrWhiteSpace(s.Name) ? (preset == YamlPreset ? config.Name : preset) : s.Name.Trim();
        if (NameRules.Problem(name, MaxNameChars) is { } problem)
            throw new InvalidRunInputException("name", $"name: {problem}");
        // The stored config carries the run's own name (not the preset's default "name: default").
        config = paths.Check(config with { Name = name });
        CheckMemory(config);
        return new Resolved(config, preset, name, ResolveSourcePath(s.SourcePath, config.Dataset), ValidateTags(s.Tags),
            RunDevices.Parse(s.Device), s.AutoResume ?? storage.Value.IsPostgres);
    }

    public static IReadOnlyList<string> ValidateTags(IReadOnlyList<string>? tags)
    {
        if (tags is null) return [];
        if (tags.Count > MaxTags) throw new InvalidRunInputException("tags", $"tags: more than {MaxTags}");
        var clean = tags.Select(t => t?.Trim() ?? "").Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        for (var i = 0; i < clean.Count; i++)
            if (NameRules.Problem(clean[i], MaxTagChars) is { } problem)
                throw new InvalidRunInputException("tags", $"tags: tag {i + 1} {problem}");
        return clean;
    }

    /// <summary>A registered root's name or a folder inside one (<see cref="PathPolicy"/>); when absent, the first registered root holding the dataset.</summary>
    private string? ResolveSourcePath(string? sourcePath, string dataset)
    {
        var roots = dataRoots.List();
        if (string.IsNullOrWhiteSpace(sourcePath))
            return roots.FirstOrDefault(r => r.Datasets.Any(d => string.Equals(d.Name, dataset, StringComparison.OrdinalIgnoreCase)))?.Path
                ?? (dataset == "emoji" ? (roots.Count > 0 ? roots[0].Path : null) : null);
        return paths.DataSource(sourcePath);
    }

    /// <summary>Refuses a run whose <see cref="RunMemoryEstimate"/> passes Workers:MemoryLimitMb (else this machine's available memory).</summary>
    private void CheckMemory(TrainingConfig config)
    {
        VptSp.Core.Modeling.VitSpec spec;
        try { spec = VptSp.Core.Modeling.VitPresets.Get(config.PretrainedModel); }
        catch (ArgumentException) { return; } // an unknown backbone is refused where the model is built
        var limitMb = workers.Value.MemoryLimitMb ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);
        var estimate = RunMemoryEstimate.For(config, spec);
        if (estimate.TotalMb > limitMb)
            throw new ConfigException(estimate.DominantKey,
                $"the run needs about {estimate.TotalMb} MB (activations at batch_size {config.BatchSize}: {Mb(estimate.Activations)} MB, " +
                $"image_cache_mb: {Mb(estimate.ImageCache)} MB, evaluation at eval_batch_size {config.EvalBatchSize}: {Mb(estimate.Evaluation)} MB, " +
                $"model and training state: {Mb(estimate.Parameters + estimate.Training)} MB), more than the worker's {limitMb} MB");
    }

    private static long Mb(long bytes) => (bytes + (1 << 20) - 1) >> 20;

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
