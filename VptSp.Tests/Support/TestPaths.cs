namespace VptSp.Tests.Support;

/// <summary>
/// Where tests find their files: the fixtures are copied beside the test binaries (see the csproj), and the
/// repository root is found by walking up to VptSp.sln (for configs/ and scripts/).
/// </summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>VptSp.Tests/Fixtures as copied to the test output folder.</summary>
    public static string FixturesDir { get; } = FindFixtures();

    public static string TinyVitDir => Path.Combine(FixturesDir, "TinyVit");

    public static string ReferenceConfigsDir => Path.Combine(FixturesDir, "ReferenceConfigs");

    private static string FindFixtures()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        return Directory.Exists(dir)
            ? dir
            : throw new DirectoryNotFoundException($"{dir} is missing: the test project copies VptSp.Tests/Fixtures to its output on build");
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VptSp.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("VptSp.sln not found above the test binaries");
    }
}
