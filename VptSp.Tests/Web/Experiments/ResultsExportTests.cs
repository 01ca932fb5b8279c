using System.Diagnostics;
using VptSp.Web.Services.Experiments;
using static VptSp.Tests.Web.Experiments.ExperimentFixtures;

namespace VptSp.Tests.Web.Experiments;

public sealed class ResultsExportTests
{
    // Group "lr=0.01": R@1 0.5 and 0.6 → 55.00 ± 7.07 (√0.005 = 0.0707); MAP@R 0.2 and 0.3 → 25.00 ± 7.07;
    // img/s 100 and 120 → 110.0 ± 14.1; peak 1 GiB and 3 GiB → 2048 ± 1448 MB. Group "lr=0.1": one run.
    private static ResultsTable Table() => ResultsTable.Build(RunGrouping.Group(
    [
        Run(1, 0.5, 0.2, sweep: 1, groupKey: "lr=0.01", r2: 0.7, mapRef: 0.1, imagesPerSecond: 100, peakBytes: 1L << 30, name: "a_b"),
        Run(2, 0.6, 0.3, sweep: 1, groupKey: "lr=0.01", r2: 0.8, mapRef: 0.2, imagesPerSecond: 120, peakBytes: 3L << 30),
        Run(3, 0.25, 0.125, sweep: 1, groupKey: "lr=0.1", r2: 0.5, mapRef: 0.1),
    ], "sweep"));

    [Fact]
    public void TableHasRecallAtTheRunsKBothMapVariantsAndTheAggregates()
    {
        var t = Table();
        Assert.Equal(["recall@1", "recall@2", "map@r", "map@r_ref"], t.MetricKeys);
        Assert.Equal(["Run / group", "n", "R@1", "R@2", "MAP@R", "MAP@R (ref.)", "Trainable params", "img/s", "Peak memory (MB)"], ResultsExport.Headers(t));
        var row = t.Rows.Single(r => r.Label.EndsWith("lr=0.01"));
        Assert.Equal(["sweep #1 · lr=0.01", "2", "55.00 ± 7.07", "75.00 ± 7.07", "25.00 ± 7.07", "15.00 ± 7.07", "25 (2.50 %)", "110.0 ± 14.1", "2048 ± 1448"],
            ResultsExport.Cells(t, row));
        var single = t.Rows.Single(r => r.Label.EndsWith("lr=0.1"));
        Assert.Equal("25.00", ResultsExport.Cells(t, single)[2]); // one run: no ± part
    }

    [Fact]
    public void MarkdownExportIsAPipeTableWithTheBestEpochRule()
    {
        var md = ResultsExport.Markdown(Table());
        var lines = md.Split('\n');
        Assert.Equal("| Run / group | n | R@1 | R@2 | MAP@R | MAP@R (ref.) | Trainable params | img/s | Peak memory (MB) |", lines[0].TrimEnd('\r'));
        Assert.Equal("|:---|---:|---:|---:|---:|---:|---:|---:|---:|", lines[1].TrimEnd('\r'));
        Assert.Contains("| sweep #1 · lr=0.01 | 2 | 55.00 ± 7.07 |", md);
        Assert.Contains("best epoch", md);
    }

    [Fact]
    public void MarkdownRowsStayOneLineWhateverTheGroupLabelHolds()
    {
        // Names stored before names were checked may hold line breaks; a group key holds whatever a tag or value held.
        var table = ResultsTable.Build(RunGrouping.Group(
            [Run(1, 0.5, sweep: 1, groupKey: "a|b\nc\r\n| d"), Run(2, 0.6, sweep: 1, groupKey: "plain")], "sweep"));
        var lines = ResultsExport.Markdown(table).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains("| sweep #1 · a\\|b c  \\| d | 1 | 50.00 |", lines.Single(l => l.Contains("sweep #1 · a", StringComparison.Ordinal)));
        Assert.Equal(2 + table.Rows.Count, lines.TakeWhile(l => l.Length > 0).Count());
    }

    [Fact]
    public void CsvExportKeepsFullPrecisionFractions()
    {
        var csv = ResultsExport.Csv(Table()).Split("\r\n");
        Assert.StartsWith("group,runs,completed,recall@1_mean,recall@1_std,recall@2_mean,", csv[0]);
        Assert.StartsWith("sweep #1 · lr=0.1,1,1,0.25,0,0.5,0,0.125,0,0.1,0,25,2.5,", csv[1]);
        Assert.StartsWith("sweep #1 · lr=0.01,2,2,0.55,0.0707106781186547", csv[2]);
    }

    [Fact]
    public void LatexExportUsesBooktabsRulesAndEscapesSpecialCharacters()
    {
        var tex = ResultsExport.Latex(Table());
        Assert.Contains("\\begin{tabular}{lrrrrrrrr}", tex);
        Assert.Contains("\\toprule", tex);
        Assert.Contains("\\midrule", tex);
        Assert.Contains("\\bottomrule", tex);
        Assert.Contains("sweep \\#1 $\\cdot$ lr=0.01 & 2 & 55.00 $\\pm$ 7.07 &", tex);
        Assert.Equal("a\\_b 50\\% \\& \\$x\\$ \\{\\} \\textasciitilde{}", ResultsExport.EscapeLatex("a_b 50% & $x$ {} ~"));
        Assert.DoesNotContain("±", tex);
    }

    // texlive-latex-base alone has no booktabs.sty (texlive-latex-recommended has it): then its three rules stand in as \hline,
    // which still checks that the export's escaping, column count and maths typeset.
    private const string BooktabsOrRules =
        "\\IfFileExists{booktabs.sty}{\\usepackage{booktabs}}{\\newcommand\\toprule{\\hline}\\newcommand\\midrule{\\hline}\\newcommand\\bottomrule{\\hline}}\n";

    /// <summary>With pdflatex installed (scripts/setup.sh --with-latex; CI installs texlive-latex-base), the export typesets.</summary>
    [SkippableFact]
    public void LatexExportCompilesWithPdflatexWhenItIsInstalled()
    {
        var pdflatex = new[] { "/usr/bin/pdflatex", "/usr/local/bin/pdflatex" }.FirstOrDefault(File.Exists);
        Skip.If(pdflatex is null, "pdflatex is not installed (scripts/setup.sh --with-latex installs it; scripts/test.sh does)");
        var dir = Directory.CreateTempSubdirectory("vptsp-latex-").FullName;
        try
        {
            var body = ResultsExport.Latex(ResultsTable.Build(RunGrouping.Group(
                [Run(1, 0.5, 0.2, tags: ["odd_tag&50%#"], name: "x_y"), Run(2, 0.6, 0.3, tags: ["odd_tag&50%#"])], "tag")));
            File.WriteAllText(Path.Combine(dir, "results.tex"),
                "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n" + BooktabsOrRules + "\\begin{document}\n" + body + "\\end{document}\n");
            var psi = new ProcessStartInfo(pdflatex, "-interaction=nonstopmode -halt-on-error results.tex")
            {
                WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, output[^Math.Min(2000, output.Length)..]);
            Assert.True(new FileInfo(Path.Combine(dir, "results.pdf")).Length > 1000);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
