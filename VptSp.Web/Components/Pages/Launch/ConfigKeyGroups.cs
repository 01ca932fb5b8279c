using VptSp.Core.Training;

namespace VptSp.Web.Components.Pages.Launch;

/// <summary>Groups the config keys for the form, following the sections of <see cref="TrainingConfig"/> (keys in declaration order).</summary>
public static class ConfigKeyGroups
{
    // The first key of each section of TrainingConfig starts a group.
    private static readonly (string FirstKey, string Title)[] Sections =
    [
        ("name", "Run and data"),
        ("optim", "Optimisation"),
        ("loss", "Loss"),
        ("arch", "Backbone and method"),
        ("num_prompt", "Prompts and proxies"),
        ("mix_precision", "Precision, evaluation, logging"),
    ];

    public static IReadOnlyList<(string Title, IReadOnlyList<ConfigKeys.Key> Keys)> All { get; } = Build();

    private static List<(string, IReadOnlyList<ConfigKeys.Key>)> Build()
    {
        var groups = new List<(string, IReadOnlyList<ConfigKeys.Key>)>();
        var title = "Run and data";
        var current = new List<ConfigKeys.Key>();
        foreach (var key in ConfigKeys.All)
        {
            var start = Array.FindIndex(Sections, s => s.FirstKey == key.Name);
            if (start >= 0 && current.Count > 0)
            {
                groups.Add((title, current));
                current = [];
            }
            if (start >= 0) title = Sections[start].Title;
            current.Add(key);
        }
        if (current.Count > 0) groups.Add((title, current));
        return groups;
    }
}
