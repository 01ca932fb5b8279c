using System.Text.Json;
using VptSp.Cli;
using VptSp.Tests.Core.Data;
using static VptSp.Tests.Cli.CliRun;

namespace VptSp.Tests.Cli;

public class DataCommandTests
{
    /// <summary>cub200 with 4 classes (2 train with 2+1 images, 2 test with 1+3) and the emoji fixture.</summary>
    private static void MakeRoot(TempDir dir)
    {
        var counts = new[] { ("001.A", 2), ("002.B", 1), ("003.C", 1), ("004.D", 3) };
        foreach (var (cls, n) in counts)
            for (var i = 0; i < n; i++) DataFixtures.Jpeg(dir.Combine("cub200", "images", cls, $"{i}.jpg"));
        EmojiFixture.Make(dir);
    }

    [Fact]
    public async Task DataJsonListsEveryDatasetWithClassesAndImagesPerSplit()
    {
        using var dir = new TempDir();
        MakeRoot(dir);
        var (code, output, _) = await Run("data", "--source_path", dir.Path, "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var datasets = doc.RootElement.GetProperty("datasets").EnumerateArray().ToList();
        Assert.Equal(new[] { "cub200", "emoji" }, datasets.Select(d => d.GetProperty("name").GetString()));
        var cub = datasets[0].GetProperty("splits");
        Assert.Equal(2, cub.GetProperty("train").GetProperty("classes").GetInt32());
        Assert.Equal(3, cub.GetProperty("train").GetProperty("images").GetInt32());
        Assert.Equal(4, cub.GetProperty("test").GetProperty("images").GetInt32());
        var emoji = datasets[1].GetProperty("splits");
        Assert.Equal(new[] { "pretrain", "train", "test" }, emoji.EnumerateObject().Select(p => p.Name));
        Assert.Equal(14, emoji.GetProperty("pretrain").GetProperty("images").GetInt32());
        Assert.Contains("Twemoji", datasets[1].GetProperty("credits")[1].GetString());
    }

    [Fact]
    public async Task DataTextForOneDatasetShowsSplitLines()
    {
        using var dir = new TempDir();
        MakeRoot(dir);
        var (code, output, _) = await Run("data", "--source_path", dir.Path, "--dataset", "cub200");
        Assert.Equal(0, code);
        Assert.Contains("cub200", output);
        Assert.Matches(@"test\s+2 classes\s+4 images", output);
        Assert.DoesNotContain("emoji", output);
    }

    [Fact]
    public async Task DataOnMissingDatasetPrintsOneLineAndFails()
    {
        using var dir = new TempDir();
        MakeRoot(dir);
        var (code, output, error) = await Run("data", "--source_path", dir.Path, "--dataset", "inshop");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("list_eval_partition.txt", error + "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataOnEmptyRootSaysNothingWasFound()
    {
        using var dir = new TempDir();
        var (code, _, error) = await Run("data", "--source_path", dir.Path);
        Assert.Equal(1, code);
        Assert.StartsWith("vptsp: no datasets found under", error);
    }
}

public class DataCommandEmojiVendorTests
{
    [Fact]
    public async Task EmojiVendorsWithoutImagesFailNamingTheVendorFolder()
    {
        using var dir = new TempDir();
        EmojiFixture.Make(dir);
        var error = new StringWriter();
        var code = await CliApp.RunAsync(["data", "--source_path", dir.Path, "--dataset", "emoji", "--emoji-vendors", "google,apple"], new StringWriter(), error);
        Assert.Equal(1, code);
        Assert.Contains(Path.Combine("img", "apple", "64"), error.ToString());
    }
}

public class DataCommandBrokenDatasetTests
{
    [Fact]
    public async Task ListingShowsTheGoodDatasetsAndTheBrokenOneWithItsErrorAndFails()
    {
        using var dir = new TempDir();
        EmojiFixture.Make(dir);
        Directory.CreateDirectory(dir.Combine("online_products", "images")); // no Info_Files
        var output = new StringWriter();
        var code = await CliApp.RunAsync(["data", "--source_path", dir.Path, "--json"], output, new StringWriter());
        Assert.Equal(1, code);
        using var doc = System.Text.Json.JsonDocument.Parse(output.ToString());
        var datasets = doc.RootElement.GetProperty("datasets").EnumerateArray().ToList();
        Assert.Equal(3, datasets.Single(d => d.GetProperty("name").GetString() == "emoji")
            .GetProperty("splits").EnumerateObject().Count());
        Assert.Contains("Ebay_train.txt", datasets.Single(d => d.GetProperty("name").GetString() == "sop").GetProperty("error").GetString());
    }
}
