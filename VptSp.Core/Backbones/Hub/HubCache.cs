namespace VptSp.Core.Backbones.Hub;

/// <summary>
/// One model repo's folder in the hub cache, laid out as huggingface_hub lays it out (so either side reuses the other's
/// files): <c>models--timm--NAME/blobs/ETAG</c>, <c>snapshots/COMMIT/FILE</c> (a relative link to the blob),
/// <c>refs/REVISION</c> (the commit), and <c>.locks/models--timm--NAME/ETAG.lock</c> beside the repo folders.
/// </summary>
public sealed class HubCache(string root, string repo)
{
    public string Root { get; } = root;
    public string Repo { get; } = repo;

    /// <summary><c>models--{owner}--{name}</c>.</summary>
    public string FolderName => "models--" + Repo.Replace("/", "--", StringComparison.Ordinal);
    public string RepoDir => Path.Combine(Root, FolderName);
    public string BlobsDir => Path.Combine(RepoDir, "blobs");
    public string LocksDir => Path.Combine(Root, ".locks", FolderName);

    public string Blob(string etag) => Path.Combine(BlobsDir, etag);
    public string Incomplete(string etag) => Blob(etag) + ".incomplete";
    public string Lock(string etag) => Path.Combine(LocksDir, etag + ".lock");
    public string Snapshot(string commit, string file) => Path.Combine(RepoDir, "snapshots", commit, file);
    public string Ref(string revision) => Path.Combine(RepoDir, "refs", revision);

    /// <summary>The cached <paramref name="file"/> at <paramref name="revision"/> (a branch in <c>refs/</c> or a commit), or null.</summary>
    public string? TryFind(string file, string revision = "main")
    {
        var commit = CommitOf(revision);
        if (commit is null) return null;
        var path = Snapshot(commit, file);
        return File.Exists(path) ? path : null; // File.Exists follows the link: a dangling one is not a hit
    }

    /// <summary>The commit <paramref name="revision"/> names in the cache: <c>refs/REVISION</c>, or the revision itself when it is a commit.</summary>
    public string? CommitOf(string revision)
    {
        var reference = Ref(revision);
        if (File.Exists(reference)) return File.ReadAllText(reference).Trim();
        return IsCommit(revision) ? revision : null;
    }

    /// <summary>Links <c>snapshots/COMMIT/FILE</c> to the blob (relative link, as huggingface_hub makes it) and records the ref.</summary>
    public string Publish(string revision, string commit, string file, string etag)
    {
        var snapshot = Snapshot(commit, file);
        Directory.CreateDirectory(Path.GetDirectoryName(snapshot)!);
        var target = Path.GetRelativePath(Path.GetDirectoryName(snapshot)!, Blob(etag));
        if (File.Exists(snapshot) || new FileInfo(snapshot).LinkTarget is not null) File.Delete(snapshot);
        try { File.CreateSymbolicLink(snapshot, target); }
        catch (IOException) { File.Copy(Blob(etag), snapshot, overwrite: true); }         // a file system without links
        catch (UnauthorizedAccessException) { File.Copy(Blob(etag), snapshot, overwrite: true); }
        if (!IsCommit(revision) || revision != commit)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Ref(revision))!);
            File.WriteAllText(Ref(revision), commit); // huggingface_hub writes the bare commit, no newline
        }
        return snapshot;
    }

    private static bool IsCommit(string revision) =>
        revision.Length == 40 && revision.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
