namespace VptSp.Core.Backbones.Hub;

/// <summary>
/// The lock of one blob: an exclusive open of <c>.locks/…/ETAG.lock</c> (on Unix .NET takes it with <c>flock</c>, the lock
/// Python's filelock takes too), so two processes never write the same file; a second one waits for the first.
/// </summary>
public sealed class BlobLock : IDisposable
{
    private readonly FileStream _stream;

    private BlobLock(FileStream stream) => _stream = stream;

    public static async Task<BlobLock> AcquireAsync(string path, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return new BlobLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                await Task.Delay(100, ct); // held by another writer
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
