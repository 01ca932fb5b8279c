using Microsoft.Extensions.Options;
using VptSp.Core.Training;
using VptSp.Runs.Options;

namespace VptSp.Runs.Paths;

/// <summary>
/// The one path policy for paths a web or API user names (the CLI, run by the machine's own user, takes any path):
/// datasets only under registered data roots; backbones only under <see cref="BackboneRoots"/> (checkpoints and backbones
/// folders, the Hugging Face Hub cache, data roots, run folders, Storage:BackboneRoots); exports only as a file name in the backbones folder.
/// Paths are normalised and every symlink resolved before the check; refusals never depend on whether a path exists.
/// </summary>
public sealed class PathPolicy(IOptions<StorageOptions> storage)
{
    /// <summary>Extensions a checkpoint file may have.</summary>
    public static readonly string[] CheckpointExtensions = [".safetensors", ".pth", ".pt", ".bin"];

    private static readonly StringComparison PathComparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private StorageOptions S => storage.Value;

    /// <summary>Where completed full runs export (<c>export_backbone</c>) and the presets read (<c>backbones/emoji_vit.safetensors</c>).</summary>
    public string BackbonesDirectory => S.BackbonesDirectory;

    public string CheckpointsDirectory => S.CheckpointsDirectory;

    /// <summary>Folders a backbone may come from: a plain list, one entry per source (extend it here, or with Storage:BackboneRoots).</summary>
    public IReadOnlyList<string> BackboneRoots =>
        [CheckpointsDirectory, BackbonesDirectory, S.RunsDirectory, VptSp.Core.Backbones.Hub.HubSettings.CacheRoot(), .. DataRootPaths(), .. S.BackboneRoots];

    /// <summary>A registered root's name, or an absolute folder inside a registered root → its real path; anything else refused alike.</summary>
    public string DataSource(string sourcePath)
    {
        var roots = S.RegisteredDataRoots;
        foreach (var (name, path) in roots)
            if (string.Equals(name, sourcePath, StringComparison.OrdinalIgnoreCase)) return path;
        var refusal = new InvalidRunInputException("sourcePath",
            $"sourcePath: give a registered data root ({string.Join(", ", roots.Select(r => r.Name))}) or a folder inside one");
        if (sourcePath.Length > 4096 || !Path.IsPathFullyQualified(sourcePath)) throw refusal;
        var real = RealPath(sourcePath);
        if (!roots.Any(r => IsUnder(real, RealPath(r.Path)))) throw refusal;
        if (!Directory.Exists(real))
            throw new InvalidRunInputException("sourcePath", $"sourcePath: '{Shorten(sourcePath)}' is not a folder");
        return real;
    }

    /// <summary>Checks <c>backbone_checkpoint</c> and <c>export_backbone</c> of a submitted config; returns it with the export spelled <c>backbones/&lt;name&gt;</c>.</summary>
    public TrainingConfig Check(TrainingConfig c)
    {
        CheckBackbone(c.BackboneCheckpoint);
        return c.ExportBackbone.Trim().Length == 0 ? c : c with { ExportBackbone = DataLayout.BackbonesFolder + "/" + ExportName(c.ExportBackbone) };
    }

    /// <summary>
    /// Empty, <c>random</c> and model names (no '/' or '\', not a checkpoint file name) pass untouched; a path (relative to
    /// the data directory, as <see cref="ModelFactory.ResolveBackbone"/> reads it) must lie under <see cref="BackboneRoots"/>.
    /// Whether the file exists is not looked at (a run may export it before this one starts).
    /// </summary>
    public void CheckBackbone(string value)
    {
        var v = value.Trim();
        if (!IsPath(v)) return;
        var full = Path.IsPathRooted(v) ? v : Path.Combine(S.DataDirectory, v);
        if (!IsUnderAny(full, BackboneRoots)) throw OutsideBackboneRoots();
    }

    /// <summary>Worker side, before a run starts: the file <see cref="ModelFactory.ResolveBackbone"/> picked lies under the roots.</summary>
    public void CheckResolvedBackbone(string? resolved)
    {
        if (resolved is not null && !IsUnderAny(resolved, BackboneRoots)) throw OutsideBackboneRoots();
    }

    /// <summary>A checkpoint file the Checkpoints page may validate: a name in the checkpoints folder, or a path under the backbone roots.</summary>
    public string CheckpointFile(string pathOrName)
    {
        var p = pathOrName.Trim();
        if (p.Length == 0) throw new ArgumentException("give a checkpoint path");
        var full = Path.IsPathFullyQualified(p) ? p : Path.Combine(CheckpointsDirectory, p);
        if (!IsUnderAny(full, BackboneRoots)) throw OutsideBackboneRoots();
        if (!HasCheckpointExtension(full)) throw new ArgumentException($"'{Shorten(p)}' is not a .safetensors, .pth, .pt or .bin file");
        if (!File.Exists(full)) throw new FileNotFoundException($"no checkpoint named '{Shorten(p)}'");
        return RealPath(full);
    }

    /// <summary>
    /// <c>export_backbone</c>: a plain checkpoint file name (or <c>backbones/&lt;name&gt;</c>) in the backbones folder that does not
    /// exist yet — an export never replaces a file; delete the old one first or choose another name.
    /// </summary>
    public string ExportName(string value)
    {
        var v = value.Trim().Replace('\\', '/');
        if (v.StartsWith(DataLayout.BackbonesFolder + "/", StringComparison.Ordinal)) v = v[(DataLayout.BackbonesFolder.Length + 1)..];
        if (v.Length == 0 || v.Contains('/') || v is "." or ".." || v.StartsWith('.') || v.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0
            || !HasCheckpointExtension(v))
            throw new ConfigException("export_backbone", "give a file name ending in .safetensors (it is written to the backbones folder; no folders or '..')");
        var target = Path.Combine(BackbonesDirectory, v);
        if (!IsUnder(RealPath(target), RealPath(BackbonesDirectory)))
            throw new ConfigException("export_backbone", "give a file name ending in .safetensors (it is written to the backbones folder; no folders or '..')");
        if (File.Exists(target) || Directory.Exists(target))
            throw new ConfigException("export_backbone", $"backbones/{v} exists already: an export never replaces a file (choose another name, or delete it first)");
        return v;
    }

    public static bool HasCheckpointExtension(string path) =>
        CheckpointExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>A value the backbone reader treats as a file or folder (not empty, not <c>random</c>, not a model name).</summary>
    public static bool IsPath(string value) =>
        value.Length > 0 && !string.Equals(value, ModelFactory.RandomBackbone, StringComparison.OrdinalIgnoreCase)
        && (value.Contains('/') || value.Contains('\\') || Path.IsPathRooted(value) || HasCheckpointExtension(value) || value is "." or "..");

    /// <summary>
    /// The absolute path with <c>..</c> normalised and every existing component's symlink resolved (missing tail components
    /// are appended as they are).
    /// </summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.Exists && info.LinkTarget is not null)
                next = Path.GetFullPath((info.ResolveLinkTarget(returnFinalTarget: true) ?? info).FullName);
            current = next;
        }
        return current;
    }

    public static bool IsUnder(string realPath, string realRoot)
    {
        var root = Path.TrimEndingDirectorySeparator(realRoot);
        return string.Equals(realPath, root, PathComparison)
            || realPath.StartsWith(root + Path.DirectorySeparatorChar, PathComparison);
    }

    private static bool IsUnderAny(string path, IEnumerable<string> roots)
    {
        var real = RealPath(path);
        return roots.Where(r => r.Length > 0).Any(r => IsUnder(real, RealPath(r)));
    }

    private IEnumerable<string> DataRootPaths() => S.RegisteredDataRoots.Select(r => r.Path);

    private static ConfigException OutsideBackboneRoots() => new("backbone_checkpoint",
        "give a file in the checkpoints or backbones folder, a data root or a run folder (or random, or a model name); other paths are refused");

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
