using VptSp.Core.Data;
using VptSp.Core.Data.Readers;

namespace VptSp.Tests.Core.Data;

public class Cub200ReaderTests
{
    /// <summary>Six classes written out of numeric order, "10" sorting before "2" as text; 2 images each except class 5 (3).</summary>
    private static void MakeCub(TempDir dir)
    {
        var names = new[] { "010.Tern", "002.Albatross", "001.Sparrow", "005.Wren", "003.Gull", "004.Crow" };
        foreach (var n in names)
        {
            var count = n.StartsWith("005", StringComparison.Ordinal) ? 3 : 2;
            for (var i = 0; i < count; i++) DataFixtures.Jpeg(dir.Combine("cub200", "images", n, $"img_{i}.jpg"), seed: i);
        }
        DataFixtures.Jpeg(dir.Combine("cub200", "images", "001.Sparrow", "._img_0.jpg")); // macOS litter: ignored
    }

    [Fact]
    public void CubSplitsClassesByNumericPrefixHalves()
    {
        using var dir = new TempDir();
        MakeCub(dir);
        var info = DatasetCatalog.Default.Open(dir.Path, "cub200");
        var train = info.Split("train");
        var test = info.Split("test");
        Assert.Equal(new[] { "001.Sparrow", "002.Albatross", "003.Gull" }, train.ClassNames);
        Assert.Equal(new[] { "004.Crow", "005.Wren", "010.Tern" }, test.ClassNames);
        Assert.Equal(6, train.Count);
        Assert.Equal(7, test.Count);
        Assert.Equal(new[] { 0, 0, 1, 1, 2, 2 }, train.Labels());
        Assert.Equal(new[] { 0, 0, 1, 1, 1, 2, 2 }, test.Labels());
        Assert.EndsWith(Path.Combine("005.Wren", "img_2.jpg"), test.Samples[4].Path);
        Assert.Equal(0, info.SkippedImages);
    }

    [Fact]
    public void CubWithoutImagesFolderFailsNamingTheFolderAndLayout()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("cub200"));
        var ex = Assert.Throws<DatasetLayoutException>(() => DatasetCatalog.Default.Open(dir.Path, "cub200"));
        Assert.Contains(Path.Combine("cub200", "images"), ex.Message);
        Assert.Contains("NNN.Name", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void UnreadableImageIsSkippedAndCounted()
    {
        using var dir = new TempDir();
        MakeCub(dir);
        DataFixtures.Garbage(dir.Combine("cub200", "images", "002.Albatross", "broken.jpg"));
        var info = new Cub200Reader().Read(dir.Combine("cub200"));
        Assert.Equal(1, info.SkippedImages);
        Assert.Equal(6, info.Split("train").Count);
        Assert.Contains(info.Warnings, w => w.Contains("broken.jpg", StringComparison.Ordinal));
    }

    [Fact]
    public void SkippingEveryImageOfAClassCompactsTheLabels()
    {
        using var dir = new TempDir();
        MakeCub(dir);
        foreach (var f in Directory.GetFiles(dir.Combine("cub200", "images", "002.Albatross"))) File.WriteAllText(f, "garbage");
        var train = new Cub200Reader().Read(dir.Combine("cub200")).Split("train");
        Assert.Equal(new[] { "001.Sparrow", "003.Gull" }, train.ClassNames);
        Assert.Equal(new[] { 0, 0, 1, 1 }, train.Labels());
    }
}
