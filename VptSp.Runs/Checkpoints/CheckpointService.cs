using Microsoft.Extensions.Options;
using VptSp.Core.Modeling;
using VptSp.Core.Modeling.Checkpoints;
using VptSp.Runs.Options;

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
public sealed class CheckpointService(IOptions<StorageOptions> storage)
{
    public const long MaxUploadBytes = 2L << 30;
    private static readonly string[] Extensions = [".safetensors", ".pth", ".pt", ".bin"];

    public string Directory => Path.Combine(storage.Value.DataDirectory, "checkpoints");

    public IReadOnlyList<(string Name, long Bytes)> List() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory).Where(HasCheckpointExtension)
                .Select(f => (Path.GetFileName(f), new FileInfo(f).Length)).OrderBy(f => f.Item1, StringComparer.Ordinal).ToList()
            : [];

    /// <summary>A server path: absolute, or a file name under the checkpoints folder.</summary>
    public string Resolve(string pathOrName)
    {
        var p = pathOrName.Trim();
        if (p.Length == 0) throw new ArgumentException("give a checkpoint path");
        var full = Path.IsPathFullyQualified(p) ? p : Path.Combine(Directory, p);
        if (!HasCheckpointExtension(full)) throw new ArgumentException($"'{p}' is not a .safetensors, .pth, .pt or .bin file");
        if (!File.Exists(full)) throw new FileNotFoundException($"no checkpoint at {full}");
        return full;
    }

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

    /// <summary>Stores an uploaded file under the checkpoints folder (written to a temporary name, then renamed).</summary>
    public async Task<string> SaveUploadAsync(string fileName, Stream content, CancellationToken ct = default)
    {
        var name = Path.GetFileName(fileName);
        if (name.Length == 0 || name.StartsWith('.') || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || !HasCheckpointExtension(name))
            throw new ArgumentException($"'{fileName}' is not an acceptable checkpoint file name (.safetensors, .pth, .pt or .bin)");
        System.IO.Directory.CreateDirectory(Directory);
        var target = Path.Combine(Directory, name);
        var tmp = target + ".upload";
        try
        {
            await using (var file = File.Create(tmp))
                await content.CopyToAsync(file, ct);
            File.Move(tmp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
        return name;
    }

    private static bool HasCheckpointExtension(string path) =>
        Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);
}
