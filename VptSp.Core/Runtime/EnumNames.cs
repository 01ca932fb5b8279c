using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace VptSp.Core.Runtime;

/// <summary>
/// The stored spelling of a choice enum: its members' <see cref="JsonStringEnumMemberNameAttribute"/> (the reference's config
/// strings), used alike by YAML, JSON, <c>--set</c> and messages.
/// </summary>
public static class EnumNames
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<(string Name, Enum Value)>> Table = new();

    /// <summary>The stored spelling of <paramref name="value"/>.</summary>
    public static string Name(this Enum value) => Of(value.GetType()).First(x => x.Value.Equals(value)).Name;

    /// <summary>Every spelling of <paramref name="enumType"/>, in declaration order.</summary>
    public static IReadOnlyList<string> All(Type enumType) => Of(enumType).Select(x => x.Name).ToList();

    /// <summary>The member spelled exactly <paramref name="text"/>, or false.</summary>
    public static bool TryParse(Type enumType, string text, out Enum value)
    {
        foreach (var (name, v) in Of(enumType))
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                value = v;
                return true;
            }
        value = null!;
        return false;
    }

    /// <summary>The member of <typeparamref name="T"/> spelled exactly <paramref name="text"/>; otherwise an error listing the spellings.</summary>
    public static T Parse<T>(string text) where T : struct, Enum =>
        TryParse(typeof(T), text, out var value)
            ? (T)value
            : throw new ArgumentException($"'{text}' is not one of: {string.Join(", ", All(typeof(T)))}", nameof(text));

    private static IReadOnlyList<(string Name, Enum Value)> Of(Type enumType) => Table.GetOrAdd(enumType, t =>
        t.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name, (Enum)f.GetValue(null)!))
            .ToList());
}
