using VptSp.Core.Training;

namespace VptSp.Web.Components.Pages.Launch;

/// <summary>
/// The Launch form's state: one text value per config key over a base config (a preset, a cloned run or pasted YAML).
/// Validation is the CLI's: each changed key through <see cref="ConfigKeys.Convert"/>, then the whole config through
/// <see cref="TrainingConfigYaml.WithOverrides"/>; every <see cref="ConfigException"/> lands on the key it names.
/// </summary>
public sealed class ConfigFormModel
{
    private readonly Dictionary<string, string> _baseValues;

    public ConfigFormModel(TrainingConfig baseConfig, string source)
    {
        Base = baseConfig;
        Source = source;
        _baseValues = ConfigKeys.All.ToDictionary(k => k.Name, k => ConfigKeys.Format(k.Property.GetValue(baseConfig)), StringComparer.Ordinal);
        Values = new Dictionary<string, string>(_baseValues, StringComparer.Ordinal);
    }

    /// <summary>The config the form starts from.</summary>
    public TrainingConfig Base { get; }

    /// <summary>What to submit as <see cref="Services.RunSubmission.Config"/>: a preset name, or YAML text.</summary>
    public string Source { get; }

    public Dictionary<string, string> Values { get; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>The validated config, or null while there are errors.</summary>
    public TrainingConfig? Result { get; private set; }

    /// <summary>Keys whose value differs from the base config, as key=value overrides.</summary>
    public IReadOnlyDictionary<string, string> Overrides =>
        Values.Where(kv => kv.Value != _baseValues[kv.Key]).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    public bool IsChanged(string key) => Values[key] != _baseValues[key];

    public string? ErrorOf(string key) => Errors.GetValueOrDefault(key);

    public void Set(string key, string? value)
    {
        Values[key] = value ?? "";
        Validate();
    }

    public bool Validate()
    {
        Errors.Clear();
        Result = null;
        var overrides = Overrides;
        foreach (var (name, value) in overrides)
        {
            try
            {
                ConfigKeys.Convert(ConfigKeys.Find(name), value);
            }
            catch (ConfigException ex)
            {
                Errors[ex.Key] = ex.Message;
            }
        }
        if (Errors.Count > 0) return false;
        try
        {
            Result = Base.WithOverrides(overrides);
            return true;
        }
        catch (ConfigException ex)
        {
            Errors[ex.Key] = ex.Message;
            return false;
        }
    }

    /// <summary>Puts an error reported elsewhere (e.g. by the run service) on its key.</summary>
    public void AddError(ConfigException ex)
    {
        Errors[ex.Key] = ex.Message;
        Result = null;
    }
}
