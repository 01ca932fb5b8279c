using VptSp.Cli;
using VptSp.Core.Training;
using VptSp.Tests.Support;
using static VptSp.Tests.Cli.CliRun;

namespace VptSp.Tests.Cli;

/// <summary>The CLI's error policy: one line starting "vptsp:" on standard error, a non-zero exit, no stack trace unless --verbose.</summary>
public sealed class CliErrorPolicyTests : IDisposable
{
    private readonly SyntheticDataset _data = new(classes: 4, imagesPerClass: 4);
    private readonly string _dir = Directory.CreateTempSubdirectory("vptsp-cli-errors-").FullName;

    public void Dispose()
    {
        _data.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Asserts the policy and returns the one error line.</summary>
    private static string OneErrorLine(int code, string error)
    {
        Assert.NotEqual(0, code);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line, got {lines.Length}:\n{error}");
        Assert.StartsWith("vptsp: ", lines[0]);
        Assert.DoesNotContain("   at ", lines[0]);
        return lines[0];
    }

    private string TinyConfigFile()
    {
        var path = Path.Combine(_dir, "tiny.yaml");
        File.WriteAllText(path, SyntheticDataset.TinyConfig("vpt").ToYaml());
        return path;
    }

    private Task<(int Code, string Out, string Err)> TrainWithBackbone(string checkpoint, string runDir) =>
        Run("train", "--source_path", _data.Root, "--config", TinyConfigFile(), "--set", $"backbone_checkpoint={checkpoint}",
            "--output", runDir);

    [Fact]
    public async Task ATextFileGivenAsACheckpointIsNamedAsTextAndLeavesNoRunFolder()
    {
        var notes = Path.Combine(_dir, "notes.safetensors");
        await File.WriteAllTextAsync(notes, "these are my notes, not weights\n");
        var runDir = Path.Combine(_dir, "run");
        var (code, _, error) = await TrainWithBackbone(notes, runDir);
        var line = OneErrorLine(code, error);
        Assert.Contains("is not a safetensors file", line);
        Assert.Contains("a text file beginning \"these are my notes", line);
        Assert.Contains("expected a safetensors file", line);
        Assert.False(Directory.Exists(runDir));
    }

    [Fact]
    public async Task ATextFileWithATorchExtensionIsNotMistakenForAPickle()
    {
        var notes = Path.Combine(_dir, "notes.pth");
        await File.WriteAllTextAsync(notes, "hello");
        var (code, _, error) = await TrainWithBackbone(notes, Path.Combine(_dir, "run"));
        var line = OneErrorLine(code, error);
        Assert.Contains("is not a PyTorch checkpoint", line);
        Assert.Contains("expected a file written by torch.save", line);
    }

    [Fact]
    public async Task ATruncatedCheckpointIsReportedAsCutShort()
    {
        var whole = await File.ReadAllBytesAsync(Path.Combine(TestPaths.TinyVitDir, "tiny_vit.safetensors"));
        var broken = Path.Combine(_dir, "broken.safetensors");
        await File.WriteAllBytesAsync(broken, whole[..(whole.Length / 2)]);
        var runDir = Path.Combine(_dir, "run");
        var (code, _, error) = await TrainWithBackbone(broken, runDir);
        var line = OneErrorLine(code, error);
        Assert.Contains("is a safetensors file cut short", line);
        Assert.False(Directory.Exists(runDir));
    }

    [Fact]
    public async Task ACheckpointOfTheWrongShapeFailsBeforeTheRunFolderIsCreated()
    {
        // the fixture is 48 wide; the config's vit_test_patch8_32 is not
        var runDir = Path.Combine(_dir, "run");
        var (code, _, error) = await TrainWithBackbone(Path.Combine(TestPaths.TinyVitDir, "tiny_vit.safetensors"), runDir);
        var line = OneErrorLine(code, error);
        Assert.Contains("does not fit the model", line);
        Assert.Contains("mis-shaped keys", line);
        Assert.False(Directory.Exists(runDir));
    }

    [Fact]
    public async Task ARunWhoseArtefactIsBrokenIsOneLineNamingTheFile()
    {
        var run = Path.Combine(_dir, "broken-run");
        Directory.CreateDirectory(Path.Combine(run, "artefacts"));
        await File.WriteAllTextAsync(Path.Combine(run, "artefacts", "manifest.json"), "{ not json");
        var (code, _, error) = await Run("embed", "--run", run, "--output", Path.Combine(_dir, "e.csv"), _data.Root);
        var line = OneErrorLine(code, error);
        Assert.Contains("manifest.json' is not a", line);
        Assert.DoesNotContain("unexpected error", line);
    }

    [Fact]
    public async Task AMissingDatasetIsOneLine()
    {
        var (code, _, error) = await Run("train", "--source_path", Path.Combine(_dir, "no-data"), "--config", TinyConfigFile(),
            "--output", Path.Combine(_dir, "run"));
        Assert.Contains("source path not found", OneErrorLine(code, error));
    }

    [Theory]
    [InlineData("n_epochs=two", "n_epochs")]
    [InlineData("no_such_key=1", "no_such_key")]
    [InlineData("n_epochs", "n_epochs")]
    public async Task ABadSetIsOneLineNamingTheKey(string assignment, string key)
    {
        var (code, _, error) = await Run("train", "--source_path", _data.Root, "--config", TinyConfigFile(), "--set", assignment,
            "--output", Path.Combine(_dir, "run"));
        Assert.Contains(key, OneErrorLine(code, error));
    }

    [Fact]
    public async Task VerboseAddsTheStackTraceAfterTheLine()
    {
        var (code, _, error) = await Run("embed", "--model", "vit_test_patch8_32", "--checkpoint", Path.Combine(_dir, "absent.safetensors"),
            "--output", Path.Combine(_dir, "e.csv"), "--verbose", _data.Root);
        Assert.NotEqual(0, code);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("vptsp: checkpoint not found", lines[0]);
        Assert.Contains(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));

        var (quietCode, _, quiet) = await Run("embed", "--model", "vit_test_patch8_32", "--checkpoint", Path.Combine(_dir, "absent.safetensors"),
            "--output", Path.Combine(_dir, "e.csv"), _data.Root);
        Assert.StartsWith("vptsp: checkpoint not found", OneErrorLine(quietCode, quiet));
    }

    [Fact]
    public void AnUnexpectedExceptionIsOneLineWithItsTypeAndAPointerToVerbose()
    {
        var line = CliErrors.Line(new AggregateException(new NullReferenceException("boom\nsecond line")));
        Assert.Equal("vptsp: unexpected error (NullReferenceException): boom second line — run again with --verbose for the stack trace", line);
        Assert.Equal(CliErrors.Failure, CliErrors.ExitCode(new NullReferenceException()));
        Assert.Equal(CliErrors.Cancelled, CliErrors.ExitCode(new OperationCanceledException()));
    }
}
