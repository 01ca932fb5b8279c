using VptSp.Core.Training;

namespace VptSp.Tests.Core.Training;

/// <summary>
/// Every key of the authors' code (the nine reference configs and main.py's argument parser, listed in
/// Fixtures/ReferenceKeys/reference_keys.tsv by tools/reference-parity/list_reference_keys.py) is honoured, inert with a
/// reason, or refused by name: no reference key can be silently ignored.
/// </summary>
public class ConfigKeyAuditTests
{
    private static IReadOnlyList<(string Key, string Where)> ReferenceKeys() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "ReferenceKeys", "reference_keys.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(p => (p[0], p[1]))
            .ToList();

    /// <summary>The key's status: honoured, inert (with its reason), refused (with its reason), or null for none.</summary>
    private static string? Status(string key)
    {
        if (ConfigKeys.Exists(key))
        {
            var meta = ConfigKeys.Find(key).Meta;
            return meta.Inert ? $"inert: {meta.Help}" : "honoured";
        }
        return ReferenceOnlyKeys.Reasons.TryGetValue(key, out var reason) ? $"refused: {reason}" : null;
    }

    [Fact]
    public void EveryReferenceKeyIsHonouredInertOrRefusedByName()
    {
        var keys = ReferenceKeys();
        Assert.True(keys.Count >= 100, $"the fixture lists {keys.Count} keys; the reference has 100");
        var table = keys.Select(k => $"{k.Key,-34} {k.Where,-12} {Status(k.Key) ?? "NO STATUS"}").ToList();
        var missing = keys.Where(k => Status(k.Key) is null).Select(k => k.Key).ToList();
        Assert.True(missing.Count == 0,
            $"reference keys with no status: {string.Join(", ", missing)}\n{string.Join("\n", table)}");
    }

    [Fact]
    public void EveryInertKeySaysWhy()
    {
        var bare = ConfigKeys.All.Where(k => k.Meta.Inert && k.Meta.Help.Length < 20).Select(k => k.Name).ToList();
        Assert.True(bare.Count == 0, $"inert keys without a reason: {string.Join(", ", bare)}");
    }

    [Fact]
    public void AReferenceOnlyKeyInAConfigIsRefusedWithItsReason()
    {
        var e = Assert.Throws<ConfigException>(() => TrainingConfigYaml.Parse("batch_mining: distance\n"));
        Assert.Equal("batch_mining", e.Key);
        Assert.Contains("no batch miner", e.Message);
    }

    [Fact]
    public void EveryRefusedKeyIsAReferenceKey()
    {
        var reference = ReferenceKeys().Select(k => k.Key).ToHashSet();
        var stray = ReferenceOnlyKeys.Reasons.Keys.Where(k => !reference.Contains(k) || ConfigKeys.Exists(k)).ToList();
        Assert.True(stray.Count == 0, $"refused keys that are not reference-only keys: {string.Join(", ", stray)}");
    }
}
