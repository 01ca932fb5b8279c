namespace VptSp.Runs;

/// <summary>Invalid input to a run operation; <see cref="Field"/> names the request field (config, overrides, name, sourcePath, tags, notes).</summary>
public sealed class InvalidRunInputException(string field, string message) : ArgumentException(message)
{
    public string Field { get; } = field;
}
