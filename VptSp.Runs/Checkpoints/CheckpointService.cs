using Microsoft.Extensions.Options;
using VptSp.Core.Modeling;
using VptSp.Core.Modeling.Checkpoints;
using VptSp.Core.Diagnostics;
using VptSp.Runs.Options;
using VptSp.Runs.Paths;

namespace VptSp.Runs.Checkpoints;

/// <summary>The outcome of validating a checkpoint file against a backbone preset.</summary>
public sealed record CheckpointReport(
    string Path,
    string Preset,
    bool Valid,
    string? Error,
    int Loaded,
    IReadOnlyList<string> Dropped,
    IReadOnlyList<string> FreshlyInitialised,
    bool PosEmbedResampled,
    string? Sha256,
    VitSpec Spec);

/// <summary>
/// Imported checkpoints: files under <c>&lt;data dir&gt;/checkpoints/</c>, each validated by loading it into the chosen
/// preset's ViT with VptSp.Core's importer (names, every shape, pos_embed resampling).
/// </summary>
public sealed class CheckpointService(IOptions<StorageOptions> storage, PathPolicy paths)
{
    public const long MaxUploadBytes = 2L << 30;

    public string Directory => storage.Value.CheckpointsDirectory;

    /// <summary>Bytes the checkpoints folder holds now (its checkpoint files).</summary>
    public long UsedBytes => List().Sum(f => f.Bytes);

    public IReadOnlyList<(string Name, long Bytes)> List() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory).Where(HasCheckpointExtension)
                .Select(f => (Path.GetFileName(f), new FileInfo(f).Length)).OrderBy(f => f.Item1, StringComparer.Ordinal).ToList()
            : [];

    /// <summary>A file name in the checkpoints folder, or a path the <see cref="PathPolicy"/> allows as a backbone.</summary>
    public string Resolve(string pathOrName) => paths.CheckpointFile(pathOrName);

    /// <summary>Loads the file into a fresh ViT of <paramref name="preset"/>; runs off the caller's thread.</summary>
    public Task<CheckpointReport> ValidateAsync(string pathOrName, string preset, CancellationToken ct = default) =>
        Task.Factory.StartNew(() =>
        {
            var spec = VitPresets.Get(preset);
            var path = Resolve(pathOrName);
            using var vit = new VisionTransformer(spec);
            try
            {
                var r = CheckpointImporter.Import(vit, path);
                return new CheckpointReport(path, preset, true, null, r.Loaded.Count, r.Dropped, r.FreshlyInitialised, r.PosEmbedResampled, r.Sha256, spec);
            }
            catch (CheckpointMismatchException ex)
            {
                return new CheckpointReport(path, preset, false, ex.Message, 0, [], [], false, null, spec);
            }
        }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// Stores an uploaded file under the checkpoints folder (written to a temporary name, then renamed); an existing name is
    /// never replaced (<see cref="CheckpointExistsException"/>), and the folder stays within Storage:CheckpointQuotaBytes.
    /// </summary>
    public async Task<string> SaveUploadAsync(string fileName, Stream content, CancellationToken ct = default)
    {
        var name = Path.GetFileName(fileName);
        if (name.Length == 0 || name.StartsWith('.') || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || !HasCheckpointExtension(name))
            throw new ArgumentException($"'{fileName}' is not an acceptable checkpoint file name (.safetensors, .pth, .pt or .bin)");
        System.IO.Directory.CreateDirectory(Directory);
        var target = Path.Combine(Directory, name);
        if (File.Exists(target)) throw new CheckpointExistsException(name);
        var quota = storage.Value.CheckpointQuotaBytes;
        var room = quota - UsedBytes;
        var tmp = target + "." + Guid.NewGuid().ToString("N") + ".upload";
        try
        {
            await using (var file = new FileStream(tmp, FileMode.CreateNew))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    if (file.Length + read > room) throw new CheckpointQuotaException(quota);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            try
            {
                File.Move(tmp, target, overwrite: false);
            }
            catch (IOException) when (File.Exists(target))
            {
                throw new CheckpointExistsException(name);
            }
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
        return name;
    }

    private static bool HasCheckpointExtension(string path) => PathPolicy.HasCheckpointExtension(path);
}

/// <summary>An upload under a name the checkpoints folder already holds (never replaced).</summary>
public sealed class CheckpointExistsException(string name)
    : UserFacingException($"a checkpoint named '{name}' exists already: delete it first or upload under another name")
{
    public string Name { get; } = name;
}

/// <summary>An upload that would take the checkpoints folder past Storage:CheckpointQuotaBytes.</summary>
public sealed class CheckpointQuotaException(long quotaBytes)
    : UserFacingException($"the checkpoints folder would pass its quota of {quotaBytes / (1024 * 1024)} MB (Storage:CheckpointQuotaBytes): delete a checkpoint first")
{
    public long QuotaBytes { get; } = quotaBytes;
}
