using System.Diagnostics;

namespace VptSp.Tests.Core.Data;

/// <summary>The parts of scripts/fetch-demo-data.sh that need no download.</summary>
public class FetchDemoDataScriptTests
{
    private static (int Code, string Out) RunScript(params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(Support.TestPaths.RepoRoot, "scripts", "fetch-demo-data.sh"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PATH"] = "/usr/bin:/bin"; // npm may or may not be there: these cases must not reach it
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    [Fact]
    public void IfMissingIsANoOpWhenTheDataIsComplete()
    {
        using var dir = new TempDir();
        foreach (var v in new[] { "google", "twitter" })
        {
            DataFixtures.Png(dir.Combine("img", v, "64", "1f600.png"), new SixLabors.ImageSharp.PixelFormats.Rgba32(1, 2, 3, 255));
            File.WriteAllText(dir.Combine($".complete-{v}-16.0.0"), "");
        }
        File.WriteAllText(dir.Combine("emoji.json"), "[]");
        var (code, output) = RunScript("--if-missing", "--dest", dir.Path);
        Assert.Equal(0, code);
        Assert.Contains("already present", output);
        Assert.DoesNotContain("npm pack", output);
    }

    [Fact]
    public void UnknownOptionFailsWithUsageHint()
    {
        var (code, output) = RunScript("--with-everything");
        Assert.Equal(2, code);
        Assert.Contains("unknown option: --with-everything", output);
    }
}
