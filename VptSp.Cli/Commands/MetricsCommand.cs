using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using VptSp.Core.Evaluation;

namespace VptSp.Cli.Commands;

/// <summary><c>vptsp metrics --embeddings f.csv | --query q.csv --gallery g.csv [--json]</c>: the metric suite on stored embeddings.</summary>
public static class MetricsCommand
{
    public static Command Create(TextWriter output)
    {
        var embeddings = new Option<string?>("--embeddings") { Description = "CSV of label,e0,e1,… rows: self-retrieval metrics" };
        var query = new Option<string?>("--query") { Description = "query CSV (with --gallery): query → gallery metrics" };
        var gallery = new Option<string?>("--gallery") { Description = "gallery CSV (with --query)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object instead of a table" };
        var noClustering = new Option<bool>("--no-clustering") { Description = "skip k-means (nmi, f1); faster on large sets" };
        var cmd = new Command("metrics", "Recall@K, MAP@R, NMI and F1 (or In-Shop query/gallery metrics) of embeddings in CSV files");
        cmd.Options.Add(embeddings);
        cmd.Options.Add(query);
        cmd.Options.Add(gallery);
        cmd.Options.Add(json);
        cmd.Options.Add(noClustering);
        cmd.SetAction(parse =>
        {
            var e = parse.GetValue(embeddings);
            var q = parse.GetValue(query);
            var g = parse.GetValue(gallery);
            IReadOnlyDictionary<string, double> metrics;
            if (e is not null)
            {
                if (q is not null || g is not null)
                    throw new CliException("give either --embeddings or --query with --gallery, not both");
                var (labels, rows) = EmbeddingCsv.Read(e);
                metrics = MetricSuite.Evaluate(rows, labels, MetricSuiteOptions.Default with { Clustering = !parse.GetValue(noClustering) });
            }
            else if (q is not null && g is not null)
            {
                var (ql, qr) = EmbeddingCsv.Read(q);
                var (gl, gr) = EmbeddingCsv.Read(g);
                if (qr[0].Length != gr[0].Length)
                    throw new CliException($"query embeddings have dimension {qr[0].Length} but gallery embeddings {gr[0].Length}");
                metrics = MetricSuite.EvaluateQueryGallery(qr, ql, gr, gl);
            }
            else
                throw new CliException("metrics needs --embeddings <file.csv>, or --query <q.csv> with --gallery <g.csv>");

            if (parse.GetValue(json))
                output.WriteLine(JsonSerializer.Serialize(metrics));
            else
                foreach (var (key, value) in metrics)
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key,-12} {value:F4}"));
            return 0;
        });
        return cmd;
    }
}
