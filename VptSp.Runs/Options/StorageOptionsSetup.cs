using Microsoft.Extensions.Options;

namespace VptSp.Runs.Options;

/// <summary>Resolves <see cref="StorageOptions.DataDirectory"/> to an absolute path and validates the data roots.</summary>
internal sealed class StorageOptionsSetup(IHostEnvironment environment) : IPostConfigureOptions<StorageOptions>, IValidateOptions<StorageOptions>
{
    public void PostConfigure(string? name, StorageOptions options)
    {
        var dir = options.DataDirectory;
        if (string.IsNullOrWhiteSpace(dir)) dir = Environment.GetEnvironmentVariable(StorageOptions.DataDirectoryVariable);
        if (string.IsNullOrWhiteSpace(dir)) dir = "data";
        options.DataDirectory = Path.GetFullPath(dir, environment.ContentRootPath);
        foreach (var key in options.DataRoots.Keys.ToList())
            options.DataRoots[key] = Path.GetFullPath(options.DataRoots[key], environment.ContentRootPath);
    }

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
            errors.Add("Storage:DataDirectory is empty");
        foreach (var (root, path) in options.DataRoots)
        {
            if (string.IsNullOrWhiteSpace(root) || root.Length > 64 || !root.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
                errors.Add($"Storage:DataRoots: '{root}' is not a valid data root name (letters, digits, _ - .)");
            if (string.Equals(root, "demo", StringComparison.OrdinalIgnoreCase))
                errors.Add("Storage:DataRoots: 'demo' is reserved for the emoji demo root");
            if (string.IsNullOrWhiteSpace(path))
                errors.Add($"Storage:DataRoots:{root} has no path");
        }
        if (!string.Equals(options.Provider, StorageOptions.Sqlite, StringComparison.OrdinalIgnoreCase) && !options.IsPostgres)
            errors.Add($"Storage:Provider: '{options.Provider}' is not sqlite or postgres");
        if (options.IsPostgres && string.IsNullOrWhiteSpace(options.ConnectionString))
            errors.Add("Storage:ConnectionString is required with Storage:Provider=postgres (e.g. Host=db;Username=vptsp;Password=…;Database=vptsp)");
        if (options.StepSamplesKeepAll < 1) errors.Add("Storage:StepSamplesKeepAll must be at least 1");
        if (options.StepSamplesEvery < 1) errors.Add("Storage:StepSamplesEvery must be at least 1");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
