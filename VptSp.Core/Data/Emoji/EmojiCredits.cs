namespace VptSp.Core.Data.Emoji;

/// <summary>Credit lines for the emoji renderings; show them wherever the emoji dataset is shown.</summary>
public static class EmojiCredits
{
    public static IReadOnlyDictionary<string, string> ByVendor { get; } = new Dictionary<string, string>
    {
        ["google"] = "Noto Emoji © Google, Apache License 2.0 (via emoji-datasource-google 16.0.0)",
        ["twitter"] = "Twemoji © Twitter, Inc. and other contributors, CC-BY 4.0 (via emoji-datasource-twitter 16.0.0)",
        ["apple"] = "Apple Color Emoji © Apple Inc., not an open licence; fetched only on request (via emoji-datasource-apple 16.0.0)",
        ["facebook"] = "Facebook emoji © Meta Platforms, not an open licence; fetched only on request (via emoji-datasource-facebook 16.0.0)",
    };

    public static IReadOnlyList<string> For(IEnumerable<string> vendors) =>
        vendors.Select(v => ByVendor.TryGetValue(v, out var c) ? c : $"{v} emoji renderings (licence: see the npm package)").ToList();
}
