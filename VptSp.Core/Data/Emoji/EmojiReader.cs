using System.Text.Json;
using VptSp.Core.Data.Readers;

namespace VptSp.Core.Data.Emoji;

/// <summary>
/// The emoji demo (protocol A of DEMO-FINDINGS): classes are base emoji, in <c>sort_order</c>, that every
/// chosen vendor renders (<c>has_img_&lt;vendor&gt;</c>); class i goes to pretrain when i % 4 is 0 or 1, to
/// train when 2 and to test when 3. In train and test a class has exactly one image per vendor, its base
/// rendering; pretrain adds the skin-tone renderings as extra images. The task is cross-vendor
/// retrieval: <see cref="DatasetSample.Domain"/> is the vendor.
/// </summary>
public sealed class EmojiReader : IDatasetReader
{
    public const string MetadataFile = "emoji.json";

    public string Name => "emoji";
    public string ExpectedLayout => "demo/emoji/emoji.json and demo/emoji/img/<vendor>/64/*.png (run scripts/fetch-demo-data.sh)";

    public string? Locate(string sourceRoot)
    {
        // demo/emoji is ours, so its folder alone counts (a missing emoji.json is then reported);
        // a plain emoji/ folder or the root itself only with the metadata file in it
        var demo = Path.Combine(sourceRoot, "demo", "emoji");
        if (Directory.Exists(demo)) return demo;
        foreach (var dir in new[] { Path.Combine(sourceRoot, "emoji"), sourceRoot })
            if (File.Exists(Path.Combine(dir, MetadataFile)))
                return dir;
        return null;
    }

    public DatasetInfo Read(string datasetDir, DatasetReadOptions? options = null)
    {
        options ??= DatasetReadOptions.Default;
        var vendors = options.EmojiVendors;
        if (vendors.Count == 0) throw new ArgumentException("emoji: at least one vendor is needed");
        var json = Path.Combine(datasetDir, MetadataFile);
        LayoutChecks.RequireFile(this, json);
        foreach (var v in vendors) LayoutChecks.RequireDirectory(this, Path.Combine(datasetDir, "img", v, "64"));

        var entries = ReadEntries(json);
        var eligible = entries.Where(e => vendors.All(e.BaseVendors.Contains)).OrderBy(e => e.SortOrder).ToList();

        var groups = new Dictionary<string, List<(EmojiEntry Entry, List<(string Path, string Vendor)> Images)>>
        {
            [SplitNames.Pretrain] = [], [SplitNames.Train] = [], [SplitNames.Test] = [],
        };
        for (var i = 0; i < eligible.Count; i++)
        {
            var e = eligible[i];
            var split = (i % 4) switch { 0 or 1 => SplitNames.Pretrain, 2 => SplitNames.Train, _ => SplitNames.Test };
            var images = vendors.Select(v => (ImagePath(datasetDir, v, e.Image), v)).ToList();
            if (split == SplitNames.Pretrain)
                foreach (var variation in e.SkinVariations)
                    images.AddRange(vendors.Where(variation.Vendors.Contains).Select(v => (ImagePath(datasetDir, v, variation.Image), v)));
            groups[split].Add((e, images));
        }

        var splits = new[] { SplitNames.Pretrain, SplitNames.Train, SplitNames.Test }
            .Select(name => ToSplit(name, groups[name]))
            .ToList();
        return ImageScreening.Build(Name, datasetDir, splits, options, EmojiCredits.For(vendors));
    }

    private static DatasetSplit ToSplit(string name, List<(EmojiEntry Entry, List<(string Path, string Vendor)> Images)> classes)
    {
        var samples = new List<DatasetSample>();
        var names = new List<string>();
        foreach (var (entry, images) in classes)
        {
            var label = names.Count;
            names.Add(entry.ShortName);
            samples.AddRange(images.Select(im => new DatasetSample(im.Path, label, entry.ShortName, im.Vendor)));
        }
        return new DatasetSplit(name, samples, names);
    }

    private static string ImagePath(string dir, string vendor, string image) => Path.Combine(dir, "img", vendor, "64", image);

    private sealed record SkinVariation(string Image, HashSet<string> Vendors);

    private sealed record EmojiEntry(string ShortName, string Image, int SortOrder, HashSet<string> BaseVendors, List<SkinVariation> SkinVariations);

    private List<EmojiEntry> ReadEntries(string json)
    {
        try
        {
            using var stream = File.OpenRead(json);
            using var doc = JsonDocument.Parse(stream);
            var result = new List<EmojiEntry>();
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                var variations = new List<SkinVariation>();
                if (e.TryGetProperty("skin_variations", out var sv) && sv.ValueKind == JsonValueKind.Object)
                    foreach (var v in sv.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                        variations.Add(new SkinVariation(v.Value.GetProperty("image").GetString()!, Vendors(v.Value)));
                var shortName = e.TryGetProperty("short_name", out var sn) ? sn.GetString() : null;
                result.Add(new EmojiEntry(
                    shortName ?? e.GetProperty("unified").GetString()!,
                    e.GetProperty("image").GetString()!,
                    e.GetProperty("sort_order").GetInt32(),
                    Vendors(e),
                    variations));
            }
            return result;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new DatasetLayoutException($"{Name}: {json} is not an emoji-datasource emoji.json ({ex.Message})");
        }
    }

    private static HashSet<string> Vendors(JsonElement element)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in element.EnumerateObject())
            if (p.Name.StartsWith("has_img_", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.True)
                set.Add(p.Name["has_img_".Length..]);
        return set;
    }
}
