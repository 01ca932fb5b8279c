using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using VptSp.Core.Data;

namespace VptSp.Cli.Commands;

/// <summary>`vptsp data --source_path ROOT [--dataset NAME] [--json] [--no-verify]`: the datasets found under a root, with classes and images per split.</summary>
public static class DataCommand
{
    public static Command Create(TextWriter output)
    {
        var source = new Option<string>("--source_path", "--source-path")
        {
            Description = "Folder holding the datasets (cub200/, cars196/, online_products/, inshop/, inaturalist/, demo/emoji/)",
            Required = true,
        };
        var dataset = new Option<string?>("--dataset")
        {
            Description = $"Only this dataset ({string.Join(", ", DatasetCatalog.Default.Names)})",
        };
        var json = new Option<bool>("--json") { Description = "Print JSON: {\"datasets\":[{\"name\":…,\"splits\":{\"train\":{\"classes\":…,\"images\":…}}}]}" };
        var noVerify = new Option<bool>("--no-verify") { Description = "Skip the image header check (only missing files are skipped)" };
        var vendors = new Option<string?>("--emoji-vendors")
        {
            Description = "Emoji demo vendors, comma-separated (default google,twitter; apple/facebook when fetched with --with-apple/--with-facebook)",
        };
        var cmd = new Command("data", "List the datasets under a source path with classes and images per split");
        cmd.Options.Add(source);
        cmd.Options.Add(dataset);
        cmd.Options.Add(json);
        cmd.Options.Add(noVerify);
        cmd.Options.Add(vendors);
        cmd.SetAction(parse =>
        {
            var root = parse.GetValue(source)!;
            var name = parse.GetValue(dataset);
            var options = new DatasetReadOptions { VerifyImages = !parse.GetValue(noVerify) };
            if (parse.GetValue(vendors) is { } v)
                options = options with { EmojiVendors = v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
            var (infos, failures) = Read(root, name, options);
            if (parse.GetValue(json)) WriteJson(output, infos, failures);
            else WriteText(output, infos, failures);
            return failures.Count == 0 ? 0 : 1;
        });
        return cmd;
    }

    /// <summary>One named dataset (its layout error is the command's error), or every dataset found (a broken one is listed with its error).</summary>
    private static (List<DatasetInfo> Infos, List<(string Name, string Error)> Failures) Read(string root, string? name, DatasetReadOptions options)
    {
        var catalog = DatasetCatalog.Default;
        if (name is not null) return ([catalog.Open(root, name, options)], []);
        var found = catalog.Survey(root, options);
        if (found.Count == 0)
            throw new CliException(
                $"no datasets found under {root} (looked for {string.Join(", ", catalog.Readers.Where(r => r.Name != "folder").Select(r => r.ExpectedLayout.Split(' ')[0]))}, or class folders)");
        return (found.Where(d => d.Info is not null).Select(d => d.Info!).ToList(),
                found.Where(d => d.Error is not null).Select(d => (d.Name, d.Error!)).ToList());
    }

    private static void WriteText(TextWriter output, List<DatasetInfo> infos, List<(string Name, string Error)> failures)
    {
        foreach (var (_, error) in failures) output.WriteLine($"error: {error}");
        foreach (var info in infos)
        {
            output.WriteLine($"{info.Name}  ({info.Root})");
            foreach (var split in info.Splits)
                output.WriteLine($"  {split.Name,-9} {split.ClassesWithImages(),8:N0} classes {split.Count,9:N0} images");
            foreach (var w in info.Warnings) output.WriteLine($"  warning: {w.TrimStart()}");
            foreach (var c in info.Credits) output.WriteLine($"  credit: {c}");
        }
    }

    private static void WriteJson(TextWriter output, List<DatasetInfo> infos, List<(string Name, string Error)> failures)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("datasets");
            foreach (var info in infos)
            {
                w.WriteStartObject();
                w.WriteString("name", info.Name);
                w.WriteStartObject("splits");
                foreach (var split in info.Splits)
                {
                    w.WriteStartObject(split.Name);
                    w.WriteNumber("classes", split.ClassesWithImages());
                    w.WriteNumber("images", split.Count);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteNumber("skipped_images", info.SkippedImages);
                if (info.Credits.Count > 0)
                {
                    w.WriteStartArray("credits");
                    foreach (var c in info.Credits) w.WriteStringValue(c);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            foreach (var (dataset, error) in failures)
            {
                w.WriteStartObject();
                w.WriteString("name", dataset);
                w.WriteString("error", error);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
