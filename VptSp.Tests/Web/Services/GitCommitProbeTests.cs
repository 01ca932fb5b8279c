using VptSp.Runs;

namespace VptSp.Tests.Web.Services;

public sealed class GitCommitProbeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("vptsp-git-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ADetachedHeadIsItsOwnCommit()
    {
        Directory.CreateDirectory(Path.Combine(_root, "repo", ".git"));
        File.WriteAllText(Path.Combine(_root, "repo", ".git", "HEAD"), "fedcba9876543210fedcba9876543210fedcba98\n");
        Assert.Equal("fedcba9876543210fedcba9876543210fedcba98", GitCommitProbe.FromGitDirectory(Path.Combine(_root, "repo")));
    }

    [Fact]
    public void AWorktreesCommitIsReadThroughItsGitFileAndTheCommonRefs()
    {
        const string sha = "0123456789abcdef0123456789abcdef01234567";
        var common = Path.Combine(_root, "main", ".git");
        var worktreeGit = Path.Combine(common, "worktrees", "web");
        Directory.CreateDirectory(worktreeGit);
        Directory.CreateDirectory(Path.Combine(common, "refs", "heads"));
        File.WriteAllText(Path.Combine(common, "refs", "heads", "web"), sha + "\n");
        File.WriteAllText(Path.Combine(worktreeGit, "HEAD"), "ref: refs/heads/web\n");
        File.WriteAllText(Path.Combine(worktreeGit, "commondir"), "../..\n");
        var checkout = Path.Combine(_root, "wt", "web");
        Directory.CreateDirectory(Path.Combine(checkout, "VptSp.Web"));
        File.WriteAllText(Path.Combine(checkout, ".git"), "gitdir: " + worktreeGit + "\n");

        Assert.Equal(sha, GitCommitProbe.FromGitDirectory(Path.Combine(checkout, "VptSp.Web")));
    }
}
