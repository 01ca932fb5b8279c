using VptSp.Core.Export;
using VptSp.Core.Modeling;
using VptSp.Tests.Core.Inference.Retrieval;
using VptSp.Tests.Support;
using static VptSp.Tests.Cli.CliRun;

namespace VptSp.Tests.Cli;

public sealed class ExportCommandTests : IDisposable
{
    private readonly SyntheticDataset _data = new(classes: 4, imagesPerClass: 3);
    private readonly string _root = Directory.CreateTempSubdirectory("vptsp-export-cli-").FullName;

    public void Dispose()
    {
        _data.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private string Run1() => RetrievalRunFixtures.MakeRun(_root, "run", _data, RetrievalRunFixtures.Options("vptsp_g"), perturbation: 1);

    [Fact]
    public async Task ExportOnnxWritesAModelOnnxRuntimeLoads()
    {
        var output = Path.Combine(_root, "model.onnx");
        var (code, stdout, stderr) = await Run("export", "--run", Run1(), "--format", "onnx", "--output", output);
        Assert.True(code == 0, stderr);
        Assert.Contains("opset 17", stdout);
        using var onnx = new OnnxEmbedder(output);
        Assert.Equal("vptsp_g", onnx.Metadata[OnnxMetadata.Method]);
        Assert.Equal("run", onnx.Metadata[OnnxMetadata.RunId]);
        Assert.Single(Directory.GetFiles(_root));
    }

    [Fact]
    public async Task ExportEmbeddingsWritesTheTwoFiles()
    {
        var output = Path.Combine(_root, "emb");
        var (code, _, stderr) = await Run("export", "--run", Run1(), "--format", "embeddings", "--output", output);
        Assert.True(code == 0, stderr);
        Assert.Equal([PortableEmbeddings.TensorFile, PortableEmbeddings.ItemsFile],
            Directory.GetFiles(output).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
    }

    [Theory]
    [InlineData("onnx", true, "no run folder")]
    [InlineData("tflite", false, "unknown export format 'tflite'")]
    [InlineData("onnx", false, "no artefact")]
    public async Task AFailedExportPrintsOneLineAndLeavesNothing(string format, bool missingRun, string message)
    {
        var run = missingRun ? Path.Combine(_root, "nope") : Path.Combine(_root, "empty-run");
        if (!missingRun) Directory.CreateDirectory(run);
        var output = Path.Combine(_root, "out", "model.onnx");
        var (code, stdout, stderr) = await Run("export", "--run", run, "--format", format, "--output", output);
        Assert.NotEqual(0, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("vptsp: ", line);
        Assert.Contains(message, line);
        Assert.False(Directory.Exists(Path.Combine(_root, "out")) && Directory.EnumerateFileSystemEntries(Path.Combine(_root, "out")).Any());
    }
}

public sealed class ExportCommandOutputTests : IDisposable
{
    private readonly SyntheticDataset _data = new(classes: 4, imagesPerClass: 3);
    private readonly string _root = Directory.CreateTempSubdirectory("vptsp-export-out-").FullName;

    public void Dispose()
    {
        _data.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task EmbeddingsNeverReplaceAFolderThatHoldsOtherFiles()
    {
        var run = RetrievalRunFixtures.MakeRun(_root, "run", _data, RetrievalRunFixtures.Options("vpt"), perturbation: 1);
        var precious = Directory.CreateDirectory(Path.Combine(_root, "mine")).FullName;
        File.WriteAllText(Path.Combine(precious, "notes.txt"), "keep me");
        var (code, _, stderr) = await Run("export", "--run", run, "--format", "embeddings", "--output", precious);
        Assert.NotEqual(0, code);
        Assert.StartsWith("vptsp: the output folder", stderr);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(precious, "notes.txt")));
        // an earlier export's folder is replaced
        var target = Path.Combine(_root, "emb");
        Assert.Equal(0, (await Run("export", "--run", run, "--format", "embeddings", "--output", target)).Code);
        Assert.Equal(0, (await Run("export", "--run", run, "--format", "embeddings", "--output", target)).Code);
        Assert.Equal(2, Directory.GetFiles(target).Length);
    }
}
