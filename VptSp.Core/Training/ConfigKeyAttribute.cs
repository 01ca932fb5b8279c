namespace VptSp.Core.Training;

/// <summary>Binds a <see cref="TrainingConfig"/> property to its key in the seed's YAML (snake_case, one to one).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ConfigKeyAttribute(string key, string help) : Attribute
{
    public string Key { get; } = key;
    public string Help { get; } = help;

    /// <summary>For string keys: the only accepted values (empty = free text).</summary>
    public string[] Allowed { get; init; } = [];

    /// <summary>Numeric keys (and each item of an integer list): the largest value accepted (NaN = none; every numeric key has one).</summary>
    public double Max { get; init; } = double.NaN;

    /// <summary>List keys: the most items accepted (0 = no list).</summary>
    public int MaxItems { get; init; }

    /// <summary>True for keys the reference configs carry but that change nothing here (kept so those files load as they are).</summary>
    public bool Inert { get; init; }
}

/// <summary>A config error that names the offending key.</summary>
public sealed class ConfigException(string key, string message)
    : ArgumentException($"config key '{key}': {message}")
{
    public string Key { get; } = key;
}
