namespace VptSp.Tests.Support;

/// <summary>Locates the repository root and the shared/ folder beside it (the PyTorch-made fixtures live there).</summary>
public static class SharedFiles
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SharedDir
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("VPTSP_SHARED_DIR");
            if (!string.IsNullOrEmpty(env)) return env;
            // shared/ sits beside the checkout (CI) or beside one of its parents (git worktrees)
            for (var dir = Directory.GetParent(RepoRoot); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared");
                if (Directory.Exists(Path.Combine(candidate, "fixtures"))) return candidate;
            }
            throw new DirectoryNotFoundException($"shared/ not found beside the repository or its parents ({RepoRoot}); set VPTSP_SHARED_DIR");
        }
    }

    public static string TinyVitDir => Path.Combine(SharedDir, "fixtures", "tiny_vit");

    public static string ReferenceConfigsDir => Path.Combine(SharedDir, "reference", "configs");

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VptSp.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("VptSp.sln not found above the test binaries");
    }
}
