using VptSp.Core.Data;

namespace VptSp.Tests.Core.Data;

public class DatasetCatalogTests
{
    [Fact]
    public void CatalogDetectsOnlyTheDatasetsPresentUnderTheRoot()
    {
        using var dir = new TempDir();
        DataFixtures.Jpeg(dir.Combine("cars196", "images", "a", "1.jpg"));
        DataFixtures.Jpeg(dir.Combine("cars196", "images", "b", "1.jpg"));
        EmojiFixture.Make(dir);
        var found = DatasetCatalog.Default.Detect(dir.Path).Select(d => d.Name).ToList();
        Assert.Equal(new[] { "cars196", "emoji" }, found);
    }

    [Fact]
    public void CatalogRejectsAnUnknownNameListingTheKnownOnes()
    {
        using var dir = new TempDir();
        var ex = Assert.Throws<ArgumentException>(() => DatasetCatalog.Default.Open(dir.Path, "imagenet"));
        Assert.Contains("cub200", ex.Message);
    }

    [Fact]
    public void CatalogOpeningAnAbsentDatasetNamesTheExpectedLayout()
    {
        using var dir = new TempDir();
        var ex = Assert.Throws<DatasetLayoutException>(() => DatasetCatalog.Default.Open(dir.Path, "cars196"));
        Assert.Contains("cars196/images/<class name>", ex.Message);
    }
}
