namespace VptSp.Web.Services.Experiments;

/// <summary>The name a sweep gets when none is given: "emoji_vptsp_g grid sweep over lr, num_prompt" (never the YAML text).</summary>
public static class SweepNames
{
    private const int MaxKeysChars = 60;

    public static string Generate(string? config, SweepDefinition definition)
    {
        var text = (config ?? "").Trim();
        // A preset is one short word; anything else is YAML text, which names nothing.
        var source = text.Length is > 0 and <= 60 && text.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.') ? text : "yaml";
        var keys = string.Join(", ", (definition.Parameters ?? []).Select(p => p.Key));
        if (keys.Length > MaxKeysChars) keys = keys[..MaxKeysChars].TrimEnd(' ', ',') + "…";
        return keys.Length == 0 ? $"{source} {definition.Mode} sweep" : $"{source} {definition.Mode} sweep over {keys}";
    }
}
