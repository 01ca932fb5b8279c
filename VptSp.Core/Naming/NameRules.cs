namespace VptSp.Core.Naming;

/// <summary>
/// The one check for names people give things (runs, sweeps, tags): a length bound, no control characters (line
/// breaks, tabs, ANSI escapes, DEL, C1, line/paragraph separators) and no Unicode bidi embedding, override or isolate
/// characters (which make a name display as something else). Everything else — quotes, <c>*</c>, <c>@</c>, <c>#</c>,
/// <c>: </c>, non-ASCII letters — is allowed; the writers (config.yaml, Markdown, CSV, HTML) quote or escape it.
/// </summary>
public static class NameRules
{
    public const int MaxRunNameChars = 200;
    public const int MaxSweepNameChars = 120;
    public const int MaxTagChars = 40;

    /// <summary>What is wrong with <paramref name="value"/> as a name of at most <paramref name="maxChars"/>, or null when it is fine.</summary>
    public static string? Problem(string value, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > maxChars) return $"longer than {maxChars} characters";
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c) || c is '\u2028' or '\u2029')
                return $"contains a control character (U+{(int)c:X4}) at position {i + 1}; names are one line of printable text";
            if (IsBidiControl(c))
                return $"contains a bidirectional-text control character (U+{(int)c:X4}) at position {i + 1}, which would make the name display differently from what it is";
        }
        return null;
    }

    /// <summary>Embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069).</summary>
    public static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
