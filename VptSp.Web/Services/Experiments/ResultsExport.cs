using System.Globalization;
using System.Text;
using VptSp.Web.Components.Shared;

namespace VptSp.Web.Services.Experiments;

/// <summary>The results table as Markdown, LaTeX (booktabs) and CSV. Metrics in %, two decimals; CSV keeps full precision as fractions.</summary>
public static class ResultsExport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static readonly IReadOnlyList<string> Formats = ["markdown", "latex", "csv"];

    public static string Write(ResultsTable table, string format) => format.ToLowerInvariant() switch
    {
        "markdown" or "md" => Markdown(table),
        "latex" or "tex" => Latex(table),
        "csv" => Csv(table),
        _ => throw new ArgumentException($"format: '{format}' is not one of {string.Join(", ", Formats)}"),
    };

    public static string ContentType(string format) => format.ToLowerInvariant() switch
    {
        "latex" or "tex" => "application/x-tex; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        _ => "text/markdown; charset=utf-8",
    };

    public static IReadOnlyList<string> Headers(ResultsTable t) =>
        ["Run / group", "n", .. t.MetricKeys.Select(ExperimentMetrics.Label), "Trainable params", "img/s", "Peak memory (MB)"];

    public static string Percent(MetricStat? s) => s is not { } v ? "—" : v.N > 1
        ? $"{(100 * v.Mean).ToString("0.00", Inv)} ± {(100 * v.Std).ToString("0.00", Inv)}"
        : (100 * v.Mean).ToString("0.00", Inv);

    public static string Plain(MetricStat? s, string format) => s is not { } v ? "—" : v.N > 1
        ? $"{v.Mean.ToString(format, Inv)} ± {v.Std.ToString(format, Inv)}"
        : v.Mean.ToString(format, Inv);

    public static string Count(ResultsRow r) => r.Completed == r.Runs ? r.Runs.ToString(Inv) : $"{r.Completed}/{r.Runs}";

    public static string Trainable(ResultsRow r) => r.TrainableParameters is { } p
        ? $"{RunFormat.Count(p)} ({RunFormat.Percent(r.TrainablePercent ?? 0)})"
        : "—";

    /// <summary>The display cells of a row, in <see cref="Headers"/> order.</summary>
    public static IReadOnlyList<string> Cells(ResultsTable t, ResultsRow r) =>
        [r.Label, Count(r), .. t.MetricKeys.Select(k => Percent(r.Metrics[k])), Trainable(r), Plain(r.ImagesPerSecond, "0.0"), Plain(r.PeakMemoryMb, "0")];

    public static string Markdown(ResultsTable t)
    {
        var sb = new StringBuilder();
        var headers = Headers(t);
        sb.Append("| ").AppendJoin(" | ", headers.Select(EscapeMarkdown)).AppendLine(" |");
        sb.Append("|:---|").AppendJoin("", headers.Skip(1).Select(_ => "---:|")).AppendLine();
        foreach (var r in t.Rows)
            sb.Append("| ").AppendJoin(" | ", Cells(t, r).Select(EscapeMarkdown)).AppendLine(" |");
        sb.AppendLine().Append('*').Append(ResultsTable.Rule).AppendLine("*");
        return sb.ToString();
    }

    public static string Latex(ResultsTable t)
    {
        var sb = new StringBuilder();
        var headers = Headers(t);
        sb.AppendLine("% requires \\usepackage{booktabs}");
        sb.AppendLine("\\begin{table}[t]");
        sb.AppendLine("\\centering");
        sb.AppendLine("\\small");
        sb.Append("\\begin{tabular}{l").Append('r', headers.Count - 1).AppendLine("}");
        sb.AppendLine("\\toprule");
        sb.AppendJoin(" & ", headers.Select(EscapeLatex)).AppendLine(" \\\\");
        sb.AppendLine("\\midrule");
        foreach (var r in t.Rows)
            sb.AppendJoin(" & ", Cells(t, r).Select(c => EscapeLatex(c).Replace(" ± ", " $\\pm$ ", StringComparison.Ordinal))).AppendLine(" \\\\");
        sb.AppendLine("\\bottomrule");
        sb.AppendLine("\\end{tabular}");
        sb.Append("\\caption{").Append(EscapeLatex(ResultsTable.Rule).Replace("±", "$\\pm$", StringComparison.Ordinal)
            .Replace("−", "-", StringComparison.Ordinal)).AppendLine("}");
        sb.AppendLine("\\label{tab:vptsp-results}");
        sb.AppendLine("\\end{table}");
        return sb.ToString();
    }

    public static string Csv(ResultsTable t)
    {
        var sb = new StringBuilder();
        var header = new List<string> { "group", "runs", "completed" };
        foreach (var k in t.MetricKeys) header.AddRange([k + "_mean", k + "_std"]);
        header.AddRange(["trainable_parameters", "trainable_percent", "images_per_second_mean", "images_per_second_std", "peak_memory_mb_mean", "peak_memory_mb_std"]);
        sb.AppendJoin(",", header.Select(CsvField)).Append("\r\n");
        foreach (var r in t.Rows)
        {
            var cells = new List<string> { CsvField(r.Label), r.Runs.ToString(Inv), r.Completed.ToString(Inv) };
            foreach (var k in t.MetricKeys) cells.AddRange(Pair(r.Metrics[k]));
            cells.Add(r.TrainableParameters?.ToString(Inv) ?? "");
            cells.Add(r.TrainablePercent?.ToString("R", Inv) ?? "");
            cells.AddRange(Pair(r.ImagesPerSecond));
            cells.AddRange(Pair(r.PeakMemoryMb));
            sb.AppendJoin(",", cells).Append("\r\n");
        }
        return sb.ToString();
    }

    private static string[] Pair(MetricStat? s) => s is { } v ? [v.Mean.ToString("R", Inv), v.Std.ToString("R", Inv)] : ["", ""];

    private static string CsvField(string s) => Apis.RunsCsv.Escape(s);

    /// <summary>One table cell: pipes escaped, line breaks (and other control characters) as spaces, so a row stays one row.</summary>
    public static string EscapeMarkdown(string s)
    {
        var sb = new StringBuilder(s.Length + 4);
        foreach (var c in s)
        {
            if (c == '|') sb.Append("\\|");
            else if (char.IsControl(c) || c is '\u2028' or '\u2029') sb.Append(' ');
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Escapes LaTeX's special characters (\ { } $ &amp; # ^ _ % ~) so any run name typesets as text.</summary>
    public static string EscapeLatex(string s)
    {
        var sb = new StringBuilder(s.Length + 8);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '\\' => "\\textbackslash{}",
                '{' => "\\{",
                '}' => "\\}",
                '$' => "\\$",
                '&' => "\\&",
                '#' => "\\#",
                '^' => "\\textasciicircum{}",
                '_' => "\\_",
                '%' => "\\%",
                '~' => "\\textasciitilde{}",
                '·' => "$\\cdot$",
                '—' => "--",
                '…' => "\\ldots{}",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }
}
