namespace VptSp.Runs;

/// <summary>Reading a run directory's files, and removing one.</summary>
public static class RunFiles
{
    /// <summary>
    /// Deletes a run folder, only ever one below <paramref name="runsDirectory"/> (false when it is elsewhere or absent);
    /// an I/O failure propagates.
    /// </summary>
    public static bool DeleteRunDirectory(string runsDirectory, string runDirectory)
    {
        var runsRoot = Path.GetFullPath(runsDirectory) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(runDirectory);
        if (!full.StartsWith(runsRoot, StringComparison.Ordinal) || !Directory.Exists(full)) return false;
        Directory.Delete(full, recursive: true);
        return true;
    }

    /// <summary>The engine's own log (the web host writes none of its own: states are in the database).</summary>
    public const string LogFile = VptSp.Core.Training.RunDirectory.LogFileName;

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
        // A running run renames files and swaps directories meanwhile: whatever vanishes while listing is left out.
        var files = new List<(string Path, long Size)>();
        try
        {
            foreach (var f in Directory.EnumerateFiles(runDirectory, "*",
                         new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
            {
                var info = new FileInfo(f);
                if (!info.Exists) continue;
                long size;
                try { size = info.Length; } catch (FileNotFoundException) { continue; }
                var relative = Path.GetRelativePath(runDirectory, f).Replace('\\', '/');
                if (relative != LogFile) files.Add((relative, size));
            }
        }
        catch (DirectoryNotFoundException)
        {
        }
        return files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
    }
}
