using VptSp.Core.Data;

namespace VptSp.Tests.Core.Data;

public class FolderReaderTests
{
    private static void MakeClasses(TempDir dir, params string[] classes)
    {
        foreach (var c in classes)
        {
            DataFixtures.Jpeg(dir.Combine(c, "a.jpg"));
            DataFixtures.Png(dir.Combine(c, "b.png"), new SixLabors.ImageSharp.PixelFormats.Rgba32(10, 20, 30, 255));
        }
    }

    [Fact]
    public void FolderSplitsClassHalvesWithoutSplitFile()
    {
        using var dir = new TempDir();
        MakeClasses(dir, "d", "a", "c", "b");
        Directory.CreateDirectory(dir.Combine("empty"));
        var info = DatasetCatalog.Default.Open(dir.Path, "folder");
        Assert.Equal(new[] { "a", "b" }, info.Split("train").ClassNames);
        Assert.Equal(new[] { "c", "d" }, info.Split("test").ClassNames);
        Assert.Equal(4, info.Split("test").Count);
    }

    [Fact]
    public void FolderSplitFileAssignsClassesAndWarnsAboutUnnamedOnes()
    {
        using var dir = new TempDir();
        MakeClasses(dir, "cat", "dog", "big bird", "fish");
        DataFixtures.Text(dir.Combine("splits.txt"), "# mine\nfish train\nbig bird train\ncat test\n");
        var info = DatasetCatalog.Default.Open(dir.Path, "folder");
        Assert.Equal(new[] { "big bird", "fish" }, info.Split("train").ClassNames);
        Assert.Equal(new[] { "cat" }, info.Split("test").ClassNames);
        Assert.Contains(info.Warnings, w => w.Contains("1 class folder", StringComparison.Ordinal));
    }

    [Fact]
    public void FolderSplitFileNamingAnUnknownClassFails()
    {
        using var dir = new TempDir();
        MakeClasses(dir, "cat", "dog");
        DataFixtures.Text(dir.Combine("splits.txt"), "cat train\nhorse test\n");
        var ex = Assert.Throws<DatasetLayoutException>(() => DatasetCatalog.Default.Open(dir.Path, "folder"));
        Assert.Contains("horse", ex.Message);
    }
}
