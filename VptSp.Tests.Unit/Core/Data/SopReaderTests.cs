using VptSp.Core.Data;

namespace VptSp.Tests.Core.Data;

public class SopReaderTests
{
    private static void MakeSop(TempDir dir, string folder)
    {
        var root = dir.Combine(folder);
        // train: classes 3 (2 images) and 1 (1 image), listed out of order; test: classes 7 (1) and 5 (2)
        var train = new[] { (1, 3, 1, "bicycle_final/300_0.JPG"), (2, 1, 1, "bicycle_final/100_0.JPG"), (3, 3, 1, "bicycle_final/300_1.JPG") };
        var test = new[] { (4, 7, 2, "chair_final/700_0.JPG"), (5, 5, 2, "chair_final/500_0.JPG"), (6, 5, 2, "chair_final/500_1.JPG") };
        foreach (var (_, _, _, p) in train.Concat(test)) DataFixtures.Jpeg(Path.Combine(root, "images", p));
        string List((int, int, int, string)[] rows) =>
            "image_id class_id super_class_id path\n" + string.Concat(rows.Select(r => $"{r.Item1} {r.Item2} {r.Item3} {r.Item4}\n"));
        DataFixtures.Text(Path.Combine(root, "Info_Files", "Ebay_train.txt"), List(train));
        DataFixtures.Text(Path.Combine(root, "Info_Files", "Ebay_test.txt"), List(test));
    }

    [Theory]
    [InlineData("online_products")]
    [InlineData("sop")]
    public void SopUsesTheListFilesWithClassesOrderedByClassId(string folder)
    {
        using var dir = new TempDir();
        MakeSop(dir, folder);
        var info = DatasetCatalog.Default.Open(dir.Path, "sop");
        var train = info.Split("train");
        Assert.Equal(new[] { "1", "3" }, train.ClassNames);
        Assert.Equal(new[] { 0, 1, 1 }, train.Labels());
        Assert.EndsWith("300_1.JPG", train.Samples[2].Path);
        var test = info.Split("test");
        Assert.Equal(new[] { "5", "7" }, test.ClassNames);
        Assert.Equal(new[] { 0, 0, 1 }, test.Labels());
    }

    [Fact]
    public void SopWithoutTestListFailsNamingIt()
    {
        using var dir = new TempDir();
        MakeSop(dir, "online_products");
        File.Delete(dir.Combine("online_products", "Info_Files", "Ebay_test.txt"));
        var ex = Assert.Throws<DatasetLayoutException>(() => DatasetCatalog.Default.Open(dir.Path, "sop"));
        Assert.Contains("Ebay_test.txt", ex.Message);
    }

    [Fact]
    public void SopListedButMissingImageIsSkippedAndCounted()
    {
        using var dir = new TempDir();
        MakeSop(dir, "online_products");
        File.Delete(dir.Combine("online_products", "images", "chair_final", "700_0.JPG"));
        var info = DatasetCatalog.Default.Open(dir.Path, "sop", new DatasetReadOptions { VerifyImages = false });
        Assert.Equal(1, info.SkippedImages);
        Assert.Equal(new[] { "5" }, info.Split("test").ClassNames);
    }
}
