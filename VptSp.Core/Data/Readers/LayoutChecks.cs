using VptSp.Core.Data.Images;

namespace VptSp.Core.Data.Readers;

/// <summary>Small helpers shared by the readers: required files/folders and ordered image listings.</summary>
internal static class LayoutChecks
{
    public static void RequireDirectory(IDatasetReader reader, string path)
    {
        if (!Directory.Exists(path))
            throw DatasetLayoutException.Missing(reader.Name, $"folder {path}", reader.ExpectedLayout);
    }

    public static void RequireFile(IDatasetReader reader, string path)
    {
        if (!File.Exists(path))
            throw DatasetLayoutException.Missing(reader.Name, $"file {path}", reader.ExpectedLayout);
    }

    /// <summary>Sub-folder names (not paths) in ordinal order, skipping macOS "._" and hidden entries.</summary>
    public static List<string> SubfolderNames(string dir) =>
        Directory.EnumerateDirectories(dir)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => !n.Contains("._", StringComparison.Ordinal) && !n.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Image files of a folder (JPEG/PNG/WebP/BMP by extension), full paths in ordinal name order.</summary>
    public static List<string> ImageFiles(string dir) =>
        Directory.EnumerateFiles(dir)
            .Where(p =>
            {
                var n = Path.GetFileName(p);
                return !n.Contains("._", StringComparison.Ordinal) && !n.StartsWith('.') && SafeImageLoader.HasImageExtension(n);
            })
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>First existing directory among the candidates, or null.</summary>
    public static string? FirstExisting(params string[] candidates) => candidates.FirstOrDefault(Directory.Exists);

    /// <summary>Joins a list-file's relative path (forward slashes) onto a folder.</summary>
    public static string Join(string dir, string relative) =>
        Path.Combine(dir, relative.Replace('/', Path.DirectorySeparatorChar).TrimStart(Path.DirectorySeparatorChar));
}
