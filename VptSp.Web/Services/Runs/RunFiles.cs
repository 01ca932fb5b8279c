namespace VptSp.Web.Services.Runs;

/// <summary>Files the web host itself writes into a run directory.</summary>
public static class RunFiles
{
    public const string LogFile = "run.log";

    public static IReadOnlyList<string> Tail(string path, int lines)
    {
        if (!File.Exists(path)) return [];
        var queue = new Queue<string>(lines);
        foreach (var line in File.ReadLines(path))
        {
            if (queue.Count == lines) queue.Dequeue();
            queue.Enqueue(line);
        }
        return queue.ToList();
    }

    /// <summary>Files of a run directory relative to it (forward slashes), without the host's log.</summary>
    public static IReadOnlyList<(string Path, long Size)> List(string runDirectory)
    {
        if (!Directory.Exists(runDirectory)) return [];
        return Directory.EnumerateFiles(runDirectory, "*", SearchOption.AllDirectories)
            .Select(f => (Path: Path.GetRelativePath(runDirectory, f).Replace('\\', '/'), Size: new FileInfo(f).Length))
            .Where(f => f.Path != LogFile)
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
    }
}
