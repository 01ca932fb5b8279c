using System.Text.Json;
using SixLabors.ImageSharp.PixelFormats;

namespace VptSp.Tests.Core.Data;

/// <summary>
/// A hand-made emoji-datasource tree: 10 entries, "nope" lacks a Twitter image (not a class), the rest
/// are classes 0..8 in sort_order: e0 e1 | e2 | e3 | e4 e5 | e6 | e7 | e8 → pretrain e0 e1 e4 e5 e8,
/// train e2 e6, test e3 e7. e1 (pretrain) and e2 (train) have two skin-tone renderings each.
/// </summary>
public static class EmojiFixture
{
    public static string Make(TempDir dir)
    {
        var root = dir.Combine("demo", "emoji");
        var entries = new List<object>();
        // written out of order on purpose: the reader must sort by sort_order
        var order = new[] { 5, 0, 8, 3, 1, 7, 2, 6, 4 };
        foreach (var i in order)
        {
            var skin = i is 1 or 2
                ? new Dictionary<string, object>
                {
                    ["1F3FB"] = Variation($"e{i}-1f3fb.png"),
                    ["1F3FF"] = Variation($"e{i}-1f3ff.png"),
                }
                : null;
            entries.Add(Entry($"e{i}", $"e{i}.png", sortOrder: 10 * i + 1, twitter: true, skin));
        }
        entries.Insert(3, Entry("nope", "nope.png", sortOrder: 25, twitter: false, null));
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "emoji.json"), JsonSerializer.Serialize(entries));

        foreach (var vendor in new[] { "google", "twitter" })
        {
            var shade = vendor == "google" ? (byte)0 : (byte)200;
            for (var i = 0; i < 9; i++)
            {
                DataFixtures.Png(Path.Combine(root, "img", vendor, "64", $"e{i}.png"), new Rgba32((byte)(20 * i), shade, 50, 255));
                if (i is 1 or 2)
                {
                    DataFixtures.Png(Path.Combine(root, "img", vendor, "64", $"e{i}-1f3fb.png"), new Rgba32(1, 2, 3, 255));
                    DataFixtures.Png(Path.Combine(root, "img", vendor, "64", $"e{i}-1f3ff.png"), new Rgba32(1, 2, 3, 255));
                }
            }
        }
        DataFixtures.Png(Path.Combine(root, "img", "google", "64", "nope.png"), new Rgba32(9, 9, 9, 255));
        return root;
    }

    private static Dictionary<string, object?> Entry(string shortName, string image, int sortOrder, bool twitter, object? skin)
    {
        var e = new Dictionary<string, object?>
        {
            ["unified"] = shortName.ToUpperInvariant(),
            ["image"] = image,
            ["short_name"] = shortName,
            ["category"] = "Test",
            ["sort_order"] = sortOrder,
            ["has_img_google"] = true,
            ["has_img_twitter"] = twitter,
            ["has_img_apple"] = false,
        };
        if (skin is not null) e["skin_variations"] = skin;
        return e;
    }

    private static Dictionary<string, object> Variation(string image) => new()
    {
        ["image"] = image, ["has_img_google"] = true, ["has_img_twitter"] = true,
    };
}
