namespace VptSp.Tests.Support;

/// <summary>
/// Where tests find their files: the fixtures are copied beside the test binaries (see the csproj), and the
/// repository root is found by walking up to VptSp.sln (for configs/ and scripts/).
/// </summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>VptSp.Tests.Support/Fixtures as copied to the test output folder.</summary>
    public static string FixturesDir { get; } = FindFixtures();

    public static string TinyVitDir => Path.Combine(FixturesDir, "TinyVit");

    /// <summary>Tiny timm models of each backbone family with timm's outputs (tools/timm-parity).</summary>
    public static string TimmFamiliesDir => Path.Combine(FixturesDir, "TimmFamilies");

    public static string ReferenceConfigsDir => Path.Combine(FixturesDir, "ReferenceConfigs");

    /// <summary>
    /// The real emoji demo download (scripts/fetch-demo-data.sh): under $VPTSP_DATA_DIR when set and present, else
    /// under the repository's data/. Tests that need it call <see cref="SkipUnlessRealEmoji"/> and report
    /// <i>skipped</i> — never a pass — when it is absent.
    /// </summary>
    public static string RealEmojiDir
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("VPTSP_DATA_DIR");
            if (!string.IsNullOrEmpty(env) && Directory.Exists(Path.Combine(env, "demo", "emoji"))) return Path.Combine(env, "demo", "emoji");
            return Path.Combine(RepoRoot, "data", "demo", "emoji");
        }
    }

    /// <summary>Skips the calling <c>[SkippableFact]</c> when the real emoji download is absent; returns its folder.</summary>
    public static string SkipUnlessRealEmoji()
    {
        var root = RealEmojiDir;
        Skip.IfNot(File.Exists(Path.Combine(root, VptSp.Core.Data.Emoji.EmojiReader.MetadataFile)),
                   $"the emoji demo download is absent ({root}); run scripts/fetch-demo-data.sh");
        return root;
    }

    private static string FindFixtures()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        return Directory.Exists(dir)
            ? dir
            : throw new DirectoryNotFoundException($"{dir} is missing: the test project copies VptSp.Tests.Support/Fixtures to its output on build");
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VptSp.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("VptSp.sln not found above the test binaries");
    }
}
