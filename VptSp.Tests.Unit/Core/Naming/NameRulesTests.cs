using VptSp.Core.Naming;
using VptSp.Core.Training;

namespace VptSp.Tests.Core.Naming;

public sealed class NameRulesTests
{
    [Theory]
    [InlineData("vptsp-g emoji")]
    [InlineData("*x @y -z: #w 'q\" é")]
    [InlineData("<img src=x onerror=\"window.__xss=1\">")]
    [InlineData("עברית name")]
    [InlineData("emoji 😀 run")]
    public void PrintableNamesPass(string name) => Assert.Null(NameRules.Problem(name, NameRules.MaxRunNameChars));

    [Theory]
    [InlineData("a\nb", "U+000A")]
    [InlineData("a\r", "U+000D")]
    [InlineData("\u001b[2J", "U+001B")]
    [InlineData("a\u007f", "U+007F")]
    [InlineData("a\u0085", "U+0085")]
    [InlineData("a\u2028b", "U+2028")]
    [InlineData("abc\u202Ecba", "U+202E")]
    [InlineData("\u2067x", "U+2067")]
    public void ControlAndBidiCharactersAreNamedInTheProblem(string name, string code) =>
        Assert.Contains(code, NameRules.Problem(name, NameRules.MaxRunNameChars));

    [Fact]
    public void TheLengthBoundIsInclusive()
    {
        Assert.Null(NameRules.Problem(new string('x', 40), 40));
        Assert.Equal("longer than 40 characters", NameRules.Problem(new string('x', 41), 40));
    }
}

public sealed class ConfigYamlQuotingTests
{
    [Theory]
    [InlineData("*x @y -z: #w 'q\" é")]
    [InlineData("@at")]
    [InlineData("-dash")]
    [InlineData("&anchor")]
    [InlineData("!tag")]
    [InlineData("|block")]
    [InlineData(">folded")]
    [InlineData("%directive")]
    [InlineData("`tick")]
    [InlineData("a: b")]
    [InlineData("a #b")]
    [InlineData("[list]")]
    [InlineData("{map}")]
    [InlineData("yes")]
    [InlineData("1e3")]
    [InlineData("back\\slash")]
    [InlineData("emoji 😀")]
    [InlineData("vpt cub200")]
    public void AnyAcceptedNameReadsBackFromTheRunsConfigYaml(string name)
    {
        Assert.Null(VptSp.Core.Naming.NameRules.Problem(name, VptSp.Core.Naming.NameRules.MaxRunNameChars));
        var dir = Directory.CreateTempSubdirectory("vptsp-yaml-").FullName;
        try
        {
            var run = new RunDirectory(dir);
            run.WriteConfig(new TrainingConfig() with { Name = name });
            Assert.Equal(name, run.ReadConfig().Name);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void PlainNamesStayPlainInTheYaml()
    {
        Assert.Contains("name: vpt cub200" + Environment.NewLine, (new TrainingConfig() with { Name = "vpt cub200" }).ToYaml());
        Assert.Contains("name: \"*x\"", (new TrainingConfig() with { Name = "*x" }).ToYaml());
    }
}
