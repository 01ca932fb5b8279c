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

public class DatasetEvaluationPairTests
{
    [Fact]
    public void EvaluationIsTestAgainstItselfForFolderDatasets()
    {
        using var dir = new TempDir();
        foreach (var c in new[] { "a", "b", "c" }) DataFixtures.Jpeg(dir.Combine(c, "1.jpg"));
        var info = DatasetCatalog.Default.Open(dir.Path, "folder");
        var (query, gallery) = info.Evaluation;
        Assert.Same(info.Split("test"), query);
        Assert.Same(query, gallery);
        Assert.Equal(new[] { ("train", 1, 1), ("test", 2, 2) }, info.Counts());
    }

    [Fact]
    public void EvaluationIsQueryAgainstGalleryForInShop()
    {
        var split = (string n) => new DatasetSplit(n, [new DatasetSample("x.jpg", 0, "id_1")], ["id_1"]);
        var info = new DatasetInfo("inshop", "/x", [split("train"), split("query"), split("gallery")]);
        Assert.Equal(("query", "gallery"), (info.Evaluation.Query.Name, info.Evaluation.Gallery.Name));
    }
}
