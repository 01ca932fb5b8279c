using VptSp.Core.Data;

namespace VptSp.Tests.Core.Data;

public class INaturalistReaderTests
{
    [Fact]
    public void INaturalistClassesAreTheTwoParentFoldersInFirstAppearanceOrder()
    {
        using var dir = new TempDir();
        var train = new[] { "train_val2018/Plantae/20/a.jpg", "train_val2018/Aves/5/b.jpg", "train_val2018/Plantae/20/c.jpg", "train_val2018/Plantae/5/d.jpg" };
        var test = new[] { "train_val2018/Insecta/9/e.jpg", "train_val2018/Insecta/9/f.jpg" };
        foreach (var p in train.Concat(test)) DataFixtures.Jpeg(dir.Combine(["inaturalist", .. p.Split('/')]));
        DataFixtures.Text(dir.Combine("inaturalist", "Inaturalist_train_set1.txt"), string.Join("\n", train) + "\n");
        DataFixtures.Text(dir.Combine("inaturalist", "Inaturalist_test_set1.txt"), string.Join("\n", test) + "\n\n");

        var info = DatasetCatalog.Default.Open(dir.Path, "inaturalist");
        var tr = info.Split("train");
        Assert.Equal(new[] { "Plantae/20", "Aves/5", "Plantae/5" }, tr.ClassNames);
        Assert.Equal(new[] { 0, 0, 1, 2 }, tr.Labels());
        Assert.EndsWith("c.jpg", tr.Samples[1].Path);
        Assert.Equal(2, info.Split("test").Count);
        Assert.Equal(1, info.Split("test").ClassCount);
    }

    [Fact]
    public void INaturalistWithoutTestListFailsNamingIt()
    {
        using var dir = new TempDir();
        DataFixtures.Text(dir.Combine("inaturalist", "Inaturalist_train_set1.txt"), "");
        var ex = Assert.Throws<DatasetLayoutException>(() => DatasetCatalog.Default.Open(dir.Path, "inaturalist"));
        Assert.Contains("Inaturalist_test_set1.txt", ex.Message);
    }
}
