using System.Reflection;

namespace VptSp.Runs;

/// <summary>Finds the commit this build came from: $VPTSP_GIT_COMMIT, the assembly's informational version (+sha), or .git/HEAD above the content root.</summary>
public static class GitCommitProbe
{
    public static string? Find(string contentRoot)
    {
        var env = Environment.GetEnvironmentVariable("VPTSP_GIT_COMMIT");
        if (!string.IsNullOrWhiteSpace(env)) return env.Trim();
        var info = typeof(GitCommitProbe).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var plus = info?.IndexOf('+') ?? -1;
        if (info is not null && plus >= 0 && info.Length - plus - 1 >= 7) return info[(plus + 1)..];
        try
        {
            return FromGitDirectory(contentRoot);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    internal static string? FromGitDirectory(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var git = Path.Combine(dir.FullName, ".git");
            string? gitDir = Directory.Exists(git) ? git : null;
            if (gitDir is null && File.Exists(git))
            {
                var line = File.ReadAllText(git).Trim();
                if (line.StartsWith("gitdir:", StringComparison.Ordinal))
                    gitDir = Path.GetFullPath(line["gitdir:".Length..].Trim(), dir.FullName);
            }
            if (gitDir is null) continue;
            var head = File.ReadAllText(Path.Combine(gitDir, "HEAD")).Trim();
            if (!head.StartsWith("ref:", StringComparison.Ordinal)) return head;
            var refName = head["ref:".Length..].Trim();
            foreach (var candidate in new[] { gitDir, CommonDir(gitDir) })
            {
                var refFile = Path.Combine(candidate, refName);
                if (File.Exists(refFile)) return File.ReadAllText(refFile).Trim();
                var packed = Path.Combine(candidate, "packed-refs");
                if (File.Exists(packed))
                {
                    var match = File.ReadLines(packed).FirstOrDefault(l => l.EndsWith(" " + refName, StringComparison.Ordinal));
                    if (match is not null) return match[..match.IndexOf(' ')];
                }
            }
            return null;
        }
        return null;
    }

    private static string CommonDir(string gitDir)
    {
        var common = Path.Combine(gitDir, "commondir");
        return File.Exists(common) ? Path.GetFullPath(File.ReadAllText(common).Trim(), gitDir) : gitDir;
    }
}
