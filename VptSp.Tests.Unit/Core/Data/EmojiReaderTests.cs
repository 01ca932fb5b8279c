using VptSp.Core.Data;
using VptSp.Core.Data.Emoji;

namespace VptSp.Tests.Core.Data;

public class EmojiReaderTests
{
    [Fact]
    public void EmojiClassesFollowSortOrderAndSplitByIndexModFour()
    {
        using var dir = new TempDir();
        EmojiFixture.Make(dir);
        var info = DatasetCatalog.Default.Open(dir.Path, "emoji");
        Assert.Equal(new[] { "pretrain", "train", "test" }, info.Splits.Select(s => s.Name));
        Assert.Equal(new[] { "e0", "e1", "e4", "e5", "e8" }, info.Split("pretrain").ClassNames);
        Assert.Equal(new[] { "e2", "e6" }, info.Split("train").ClassNames);
        Assert.Equal(new[] { "e3", "e7" }, info.Split("test").ClassNames);
    }

    [Fact]
    public void EmojiTrainAndTestHoldExactlyOneBaseImagePerVendor()
    {
        using var dir = new TempDir();
        EmojiFixture.Make(dir);
        var info = DatasetCatalog.Default.Open(dir.Path, "emoji");
        foreach (var split in new[] { info.Split("train"), info.Split("test") })
        {
            Assert.Equal(2 * split.ClassCount, split.Count);
            foreach (var g in split.Samples.GroupBy(s => s.Label))
                Assert.Equal(new[] { "google", "twitter" }, g.Select(s => s.Domain).Order());
            Assert.DoesNotContain(split.Samples, s => s.Path.Contains("-1f3f", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void EmojiPretrainAddsSkinToneRenderings()
    {
        using var dir = new TempDir();
        EmojiFixture.Make(dir);
        var pretrain = DatasetCatalog.Default.Open(dir.Path, "emoji").Split("pretrain");
        // 5 classes × 2 vendors + e1's 2 skin tones × 2 vendors
        Assert.Equal(14, pretrain.Count);
        Assert.Equal(6, pretrain.Samples.Count(s => s.ClassName == "e1"));
    }

    [Fact]
    public void EmojiExposesCreditLinesForTheVendorsUsed()
    {
        using var dir = new TempDir();
        EmojiFixture.Make(dir);
        var info = DatasetCatalog.Default.Open(dir.Path, "emoji");
        Assert.Equal(2, info.Credits.Count);
        Assert.Contains(info.Credits, c => c.Contains("Noto Emoji", StringComparison.Ordinal) && c.Contains("Apache", StringComparison.Ordinal));
        Assert.Contains(info.Credits, c => c.Contains("Twemoji", StringComparison.Ordinal) && c.Contains("CC-BY 4.0", StringComparison.Ordinal));
    }

    [Fact]
    public void EmojiWithoutMetadataFailsPointingAtTheFetchScript()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("demo", "emoji"));
        var ex = Assert.Throws<DatasetLayoutException>(() => DatasetCatalog.Default.Open(dir.Path, "emoji"));
        Assert.Contains("emoji.json", ex.Message);
        Assert.Contains("fetch-demo-data.sh", ex.Message);
    }

    [SkippableFact]
    public void RealEmojiDownloadHasTheDocumentedSplitSizes()
    {
        var root = Support.TestPaths.SkipUnlessRealEmoji();

        var info = new EmojiReader().Read(root, new DatasetReadOptions { VerifyImages = false });
        // DEMO-FINDINGS protocol A (Google + Twitter): 1,911 classes → 956 / 478 / 477; test 477 × 2 = 954
        Assert.Equal(956, info.Split("pretrain").ClassCount);
        Assert.Equal(478, info.Split("train").ClassCount);
        Assert.Equal(477, info.Split("test").ClassCount);
        Assert.Equal(954, info.Split("test").Count);
        Assert.Equal(956, info.Split("train").Count);
        Assert.Equal(0, info.SkippedImages);
    }
}
