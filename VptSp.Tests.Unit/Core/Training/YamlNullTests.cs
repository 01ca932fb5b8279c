using VptSp.Core.Training;

namespace VptSp.Tests.Core.Training;

/// <summary>YAML's null (plain null, ~, nothing) is an empty string key; a quoted "null" is the string.</summary>
public sealed class YamlNullTests
{
    [Theory]
    [InlineData("name: null", "")]
    [InlineData("name: ~", "")]
    [InlineData("name:", "")]
    [InlineData("name: \"null\"", "null")]
    [InlineData("name: '~'", "~")]
    [InlineData("name: \"\"", "")]
    public void PlainNullIsEmptyAndQuotedNullIsTheString(string yaml, string expected) =>
        Assert.Equal(expected, TrainingConfigYaml.Parse(yaml).Name);

    [Theory]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("true")]
    [InlineData("123")]
    public void ANameWrittenToYamlAndJsonReadsBack(string name)
    {
        var config = new TrainingConfig { Name = name };
        Assert.Equal(name, TrainingConfigYaml.Parse(config.ToYaml()).Name);
        Assert.Equal(name, TrainingConfigYaml.FromJson(config.ToJson()).Name);
    }

    [Fact]
    public void ANullForANumericKeyIsAnErrorNamingTheKey() =>
        Assert.Equal("n_epochs", Assert.Throws<ConfigException>(() => TrainingConfigYaml.Parse("n_epochs: ~")).Key);
}
