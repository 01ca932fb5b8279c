using System.Globalization;
using System.Text.Json;
using VptSp.Cli;
using static VptSp.Tests.Cli.CliRun;

namespace VptSp.Tests.Cli;

public sealed class MetricsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vptsp-metrics-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>The six-point circle of Core/Evaluation/HandExamples as CSV rows.</summary>
    private string CircleCsv()
    {
        static string Row(int label, double degrees) => string.Create(CultureInfo.InvariantCulture,
            $"{label},{Math.Cos(degrees * Math.PI / 180):R},{Math.Sin(degrees * Math.PI / 180):R}");
        return Write("circle.csv", "label,e0,e1", "0,1,0", Row(0, 10), Row(1, 30), Row(0, 35), "1,0,1", "2,-1,0");
    }

    [Fact]
    public async Task MetricsJsonHasEveryKeyWithTheHandComputedValues()
    {
        var (code, output, error) = await Run("metrics", "--embeddings", CircleCsv(), "--json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var keys = doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["recall@1", "recall@2", "recall@4", "recall@8", "map@r", "map@r_ref", "nmi", "f1"], keys);
        Assert.Equal(2.0 / 6, doc.RootElement.GetProperty("recall@1").GetDouble(), 9);
        Assert.Equal(0.25, doc.RootElement.GetProperty("map@r").GetDouble(), 9);
        Assert.Equal(1.75 / 6, doc.RootElement.GetProperty("map@r_ref").GetDouble(), 9);
    }

    [Fact]
    public async Task MetricsPrintsATableWithoutJson()
    {
        var (code, output, _) = await Run("metrics", "--embeddings", CircleCsv(), "--no-clustering");
        Assert.Equal(0, code);
        Assert.Contains("recall@1     0.3333", output);
        Assert.Contains("map@r        0.2500", output);
        Assert.DoesNotContain("nmi", output);
    }

    [Fact]
    public async Task QueryGalleryMetricsHaveInShopKeys()
    {
        var gallery = Write("g.csv", "1,1,0", "2,0,1", "2,1,0", "1,-1,0", "3,0.6,0.8");
        var query = Write("q.csv", "2,1,0", "1,0,1", "9,0,-1");
        var (code, output, error) = await Run("metrics", "--query", query, "--gallery", gallery, "--json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(["recall@1", "recall@10", "recall@20", "recall@30", "recall@40", "recall@50", "map", "map@50_ref"],
            doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(26.0 / 90, doc.RootElement.GetProperty("map").GetDouble(), 6);
    }

    [Fact]
    public async Task AMissingFileExitsNonZeroWithOneLine()
    {
        var (code, output, error) = await Run("metrics", "--embeddings", Path.Combine(_dir, "nope.csv"));
        Assert.NotEqual(0, code);
        Assert.Equal("", output);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("nope.csv", error);
    }

    [Fact]
    public async Task ABadRowNamesTheLine()
    {
        var path = Write("bad.csv", "0,1,0", "x,0,1");
        var (code, _, error) = await Run("metrics", "--embeddings", path);
        Assert.NotEqual(0, code);
        Assert.Contains("line 2", error);
        var ragged = Write("ragged.csv", "0,1,0", "1,0,1,5");
        Assert.NotEqual(0, (await Run("metrics", "--embeddings", ragged)).Code);
        var nan = Write("nan.csv", "0,1,0", "1,NaN,1");
        Assert.NotEqual(0, (await Run("metrics", "--embeddings", nan)).Code);
    }

    [Fact]
    public async Task MissingOrConflictingInputsExitNonZero()
    {
        Assert.NotEqual(0, (await Run("metrics")).Code);
        Assert.NotEqual(0, (await Run("metrics", "--query", CircleCsv())).Code);
        Assert.NotEqual(0, (await Run("metrics", "--embeddings", CircleCsv(), "--gallery", CircleCsv())).Code);
        var wide = Write("wide.csv", "1,1,0,0");
        var (code, _, error) = await Run("metrics", "--query", wide, "--gallery", CircleCsv());
        Assert.NotEqual(0, code);
        Assert.Contains("dimension", error);
    }
}
