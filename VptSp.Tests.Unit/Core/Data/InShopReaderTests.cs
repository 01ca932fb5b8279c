using VptSp.Core.Data;

namespace VptSp.Tests.Core.Data;

public class InShopReaderTests
{
    private static void MakeInShop(TempDir dir)
    {
        var rows = new[]
        {
            ("img/WOMEN/Dresses/id_00000002/01.jpg", "id_00000002", "train"),
            ("img/WOMEN/Dresses/id_00000001/01.jpg", "id_00000001", "train"),
            ("img/WOMEN/Dresses/id_00000002/02.jpg", "id_00000002", "train"),
            ("img/MEN/Tees/id_00000020/01.jpg", "id_00000020", "query"),
            ("img/MEN/Tees/id_00000010/01.jpg", "id_00000010", "query"),
            ("img/MEN/Tees/id_00000010/02.jpg", "id_00000010", "gallery"),
            ("img/MEN/Tees/id_00000020/02.jpg", "id_00000020", "gallery"),
            ("img/MEN/Tees/id_00000030/01.jpg", "id_00000030", "gallery"),
        };
        foreach (var (p, _, _) in rows) DataFixtures.Jpeg(dir.Combine(["inshop", .. p.Split('/')]));
        DataFixtures.Text(dir.Combine("inshop", "list_eval_partition.txt"),
            $"{rows.Length}\nimage_name item_id evaluation_status\n" +
            string.Concat(rows.Select(r => $"{r.Item1}      {r.Item2}  {r.Item3}\n")));
    }

    [Fact]
    public void InShopGivesTrainQueryAndGalleryWithOneSharedTestLabelMapping()
    {
        using var dir = new TempDir();
        MakeInShop(dir);
        var info = DatasetCatalog.Default.Open(dir.Path, "inshop");
        Assert.Equal(new[] { "train", "query", "gallery" }, info.Splits.Select(s => s.Name));
        var train = info.Split("train");
        Assert.Equal(new[] { "id_00000001", "id_00000002" }, train.ClassNames);
        Assert.Equal(new[] { 0, 1, 1 }, train.Labels());
        var query = info.Split("query");
        var gallery = info.Split("gallery");
        // test items 10, 20, 30 → labels 0, 1, 2 in both query and gallery
        Assert.Equal(new[] { "id_00000010", "id_00000020", "id_00000030" }, gallery.ClassNames);
        Assert.Equal(gallery.ClassNames, query.ClassNames);
        Assert.Equal(new[] { 0, 1 }, query.Labels());
        Assert.Equal(new[] { 0, 1, 2 }, gallery.Labels());
        Assert.EndsWith(Path.Combine("id_00000020", "01.jpg"), query.Samples[1].Path);
        Assert.EndsWith(Path.Combine("id_00000020", "02.jpg"), gallery.Samples[1].Path);
        Assert.Equal(2, query.ClassesWithImages());
    }

    [Fact]
    public void InShopKeepsQueryAndGalleryAlignedWhenAnItemLosesItsOnlyQuery()
    {
        using var dir = new TempDir();
        MakeInShop(dir);
        File.WriteAllText(dir.Combine("inshop", "img", "MEN", "Tees", "id_00000010", "01.jpg"), "garbage");
        var info = DatasetCatalog.Default.Open(dir.Path, "inshop");
        var query = info.Split("query");
        var gallery = info.Split("gallery");
        Assert.Equal(1, info.SkippedImages);
        Assert.Equal(gallery.ClassNames, query.ClassNames);
        Assert.Equal("id_00000020", query.Samples.Single().ClassName);
        Assert.Equal(gallery.Samples.Single(s => s.ClassName == "id_00000020").Label, query.Samples.Single().Label);
    }

    [Fact]
    public void InShopWithoutPartitionFileFailsNamingIt()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("inshop", "img"));
        var ex = Assert.Throws<DatasetLayoutException>(() => DatasetCatalog.Default.Open(dir.Path, "inshop"));
        Assert.Contains("list_eval_partition.txt", ex.Message);
    }
}
