using VptSp.Core.Data;

namespace VptSp.Tests.Core.Data;

public class Cars196ReaderTests
{
    [Fact]
    public void CarsSplitsSortedClassFoldersInHalvesWithOddCountGivingTestTheExtra()
    {
        using var dir = new TempDir();
        // ordinal sort: "AM General" < "Acura" < "BMW" < "audi" < "bmw"  (upper case first)
        var names = new[] { "bmw", "Acura", "audi", "BMW", "AM General" };
        for (var c = 0; c < names.Length; c++)
            for (var i = 0; i <= c; i++) DataFixtures.Jpeg(dir.Combine("cars196", "images", names[c], $"{i:D3}.jpg"), seed: i);
        DataFixtures.Text(dir.Combine("cars196", "images", "Acura", "notes.txt"), "not an image");

        var info = DatasetCatalog.Default.Open(dir.Path, "cars196");
        Assert.Equal(new[] { "AM General", "Acura" }, info.Split("train").ClassNames);
        Assert.Equal(new[] { "BMW", "audi", "bmw" }, info.Split("test").ClassNames);
        // images: AM General 5, Acura 2 | BMW 4, audi 3, bmw 1
        Assert.Equal(7, info.Split("train").Count);
        Assert.Equal(8, info.Split("test").Count);
        Assert.Equal(new[] { 0, 0, 0, 0, 1, 1, 1, 2 }, info.Split("test").Labels());
    }
}
