using System.Globalization;
using System.Text;

namespace VptSp.Core.Training;

/// <summary>
/// Writes a string as a YAML scalar that reads back as the same string: plain when it is unambiguous text
/// (<c>emoji</c>, <c>vpt cub200</c>), double-quoted with escapes otherwise — YAML indicators (<c>*</c> alias,
/// <c>@</c>, <c>-</c>, <c>&amp;</c>, <c>!</c>, <c>|</c>, <c>&gt;</c>, <c>%</c> …), <c>: </c> and <c>#</c>, quotes,
/// surrounding spaces, words YAML reads as booleans/null, numbers, and any control or format character.
/// </summary>
public static class YamlScalar
{
    public static string Write(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return IsPlainSafe(s) ? s : DoubleQuoted(s);
    }

    private static bool IsPlainSafe(string s)
    {
        if (s.Length == 0 || s != s.Trim() || !char.IsLetterOrDigit(s[0])) return false;
        foreach (var c in s)
            if (!(char.IsLetterOrDigit(c) || c is ' ' or '_' or '.' or '/' or '-' or '+' or '(' or ')')) return false;
        var lower = s.ToLowerInvariant();
        if (lower is "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n" or "null") return false;
        return !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }

    private static string DoubleQuoted(string s)
    {
        var sb = new StringBuilder(s.Length + 8).Append('"');
        foreach (var r in s.EnumerateRunes()) // a lone surrogate reads as U+FFFD
        {
            switch (r.Value)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    var category = Rune.GetUnicodeCategory(r);
                    if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                        or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
                        sb.Append(r.IsBmp ? "\\u" : "\\U").Append(r.Value.ToString(r.IsBmp ? "X4" : "X8", CultureInfo.InvariantCulture));
                    else
                        sb.Append(r.ToString());
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
