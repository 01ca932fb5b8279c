using System.Runtime.InteropServices;

namespace VptSp.Core.Training;

/// <summary>
/// Forcing written bytes to the disk (fsync), so that what a run folder says survives a power cut as well as a
/// killed process. A killed process loses nothing the kernel already holds; these calls are for the machine dying.
/// </summary>
public static partial class DurableFiles
{
    /// <summary>fsync of one file (no-op when it does not exist).</summary>
    public static void SyncFile(string path)
    {
        if (!File.Exists(path)) return;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>fsync of every file under <paramref name="directory"/>, then of each directory (its entries: names and renames).</summary>
    public static void SyncTree(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)) SyncFile(file);
        foreach (var dir in Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories)) SyncDirectory(dir);
        SyncDirectory(directory);
    }

    /// <summary>fsync of a directory, which makes the creations and renames inside it durable (Linux and macOS; Windows has no equivalent and needs none).</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(directory)) return;
        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0) return; // best effort: a directory we may not open cannot be synced, the data files were
        try { _ = Fsync(fd); }
        finally { _ = Close(fd); }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
