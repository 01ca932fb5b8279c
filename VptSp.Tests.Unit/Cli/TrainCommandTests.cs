using System.Globalization;
using VptSp.Cli;
using VptSp.Core.Training;
using VptSp.Tests.Support;
using static VptSp.Tests.Cli.CliRun;

namespace VptSp.Tests.Cli;

public sealed class TrainCommandTests : IDisposable
{
    private readonly SyntheticDataset _data = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("vptsp-cli-train-").FullName;

    public void Dispose()
    {
        _data.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string TinyConfigFile()
    {
        var path = Path.Combine(_dir, "tiny.yaml");
        File.WriteAllText(path, SyntheticDataset.TinyConfig("vpt").ToYaml());
        return path;
    }

    [Fact]
    public async Task SeedCommandLineTrainsEvaluatesAndEmbeds()
    {
        var runDir = Path.Combine(_dir, "run");
        var (code, output, error) = await Run("train", "--source_path", _data.Root, "--config", TinyConfigFile(), "--gpu", "0",
            "--set", "n_epochs=1", "--output", runDir);
        Assert.True(code == 0, error + output);
        Assert.Contains("epoch 1:", output);
        var metrics = new RunDirectory(runDir).ReadMetrics();
        Assert.Single(metrics);
        Assert.Equal(1, metrics[0]["epoch"]);
        Assert.Equal(1, new RunDirectory(runDir).ReadConfig().NEpochs);
        // --gpu 0 without CUDA: said once on the console and once in log.txt; with CUDA: not at all
        const string notice = "vptsp: --gpu 0 asked for a CUDA device but none is available; training on the CPU";
        var expected = VptSp.Core.Runtime.TorchRuntime.CudaAvailable() ? 0 : 1;
        Assert.Equal(expected, output.Split('\n').Count(l => l.Contains(notice)));
        Assert.Equal(expected, File.ReadAllLines(Path.Combine(runDir, "log.txt")).Count(l => l.Contains(notice)));

        var (evalCode, evalOut, evalErr) = await Run("eval", "--run", runDir, "--json");
        Assert.True(evalCode == 0, evalErr);
        Assert.Contains("\"recall@1\":", evalOut);
        var recorded = metrics[0]["recall@1"];
        var json = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, double>>(evalOut)!;
        Assert.Equal(recorded, json["recall@1"], 6);

        var csv = Path.Combine(_dir, "e.csv");
        var (embedCode, _, embedErr) = await Run("embed", "--run", runDir, "--output", csv, Path.Combine(_data.Root, "class_05"));
        Assert.True(embedCode == 0, embedErr);
        var rows = File.ReadAllLines(csv);
        Assert.Equal(6, rows.Length);
        var cells = rows[0].Split(',');
        Assert.Equal("class_05", cells[1]);
        Assert.Equal(2 + 16, cells.Length);
        var norm = Math.Sqrt(cells.Skip(2).Select(c => double.Parse(c, CultureInfo.InvariantCulture)).Sum(v => v * v));
        Assert.Equal(1.0, norm, 4);
    }

    [Fact]
    public async Task AMissingDataRootFailsWithoutLeavingARunFolder()
    {
        var runDir = Path.Combine(_dir, "never");
        var (code, _, error) = await Run("train", "--config", "cub200_small", "--source_path", Path.Combine(_dir, "no-data"), "--output", runDir);
        Assert.Equal(1, code);
        Assert.Contains("source path not found", error);
        Assert.False(Directory.Exists(runDir));
    }

    [Theory]
    [InlineData("train", "--source_path", "/nonexistent", "--config", "nope.yaml")]
    [InlineData("train", "--config", "cub200_small", "--set", "n_epoch=3")]
    [InlineData("train", "--config", "cub200_small", "--set", "batch_size=7")]
    [InlineData("train")]
    [InlineData("eval", "--run", "/nonexistent-run")]
    [InlineData("embed", "--model", "vit_nope", "--output", "x.csv", "/tmp")]
    [InlineData("embed", "--output", "x.csv", "/tmp")]
    public async Task ErrorPathsPrintOneLineAndExitNonZero(params string[] args)
    {
        var (code, _, error) = await Run(args);
        Assert.NotEqual(0, code);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("vptsp: ", lines[0]);
    }
}
