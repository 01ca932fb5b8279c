using VptSp.Web.Services.Experiments;

namespace VptSp.Tests.Web.Experiments;

public sealed class SweepExpansionTests
{
    private static IReadOnlyList<string> Labels(SweepDefinition d) => SweepExpansion.Expand(d).Select(c => c.Label).ToList();

    [Fact]
    public void GridOfTwoListsGivesEveryCombinationWithTheLastKeyVaryingFastest()
    {
        var d = new SweepDefinition("grid", [new("lr", ["0.01", "0.1"]), new("num_prompt", ["1", "5", "10"])], []);
        Assert.Equal(
            ["lr=0.01, num_prompt=1", "lr=0.01, num_prompt=5", "lr=0.01, num_prompt=10",
             "lr=0.1, num_prompt=1", "lr=0.1, num_prompt=5", "lr=0.1, num_prompt=10"], Labels(d));
    }

    [Fact]
    public void GridRangeWithAStepStopsAtMaxWithoutFloatingPointNoise()
    {
        // 0.1 + 2 × 0.1 is 0.30000000000000004 in doubles; the sweep writes 0.3.
        Assert.Equal(["0.1", "0.2", "0.3"], SweepExpansion.GridValues(new("proxy_bias_ratio", Min: 0.1, Max: 0.3, Step: 0.1)));
        Assert.Equal(["1", "4", "7", "10"], SweepExpansion.GridValues(new("num_prompt", Min: 1, Max: 10, Step: 3)));
    }

    [Fact]
    public void GridLogRangeWithACountIsGeometric()
    {
        Assert.Equal(["0.0001", "0.001", "0.01"], SweepExpansion.GridValues(new("lr", Min: 1e-4, Max: 1e-2, Count: 3, Log: true)));
        Assert.Equal(["0", "0.5", "1"], SweepExpansion.GridValues(new("proxy_bias_ratio", Min: 0, Max: 1, Count: 3)));
    }

    [Fact]
    public void IntegerKeyRangeIsRoundedAndDeduplicated()
    {
        Assert.Equal(["1", "2"], SweepExpansion.GridValues(new("num_prompt", Min: 1, Max: 2, Count: 4)));
    }

    [Fact]
    public void RandomSweepDrawsTheBudgetWithinTheRangeAndRepeatsForTheSameSeed()
    {
        var d = new SweepDefinition("random", [new("lr", Min: 1e-4, Max: 1e-2, Log: true), new("optim", ["sgd", "adamw"])], [], Budget: 20, RandomSeed: 7);
        var a = SweepExpansion.Expand(d);
        Assert.Equal(20, a.Count);
        Assert.All(a, c =>
        {
            var lr = double.Parse(c.Values[0].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(lr, 1e-4, 1e-2);
            Assert.Contains(c.Values[1].Value, new[] { "sgd", "adamw" });
        });
        Assert.Equal(a.Select(c => c.Label), SweepExpansion.Expand(d).Select(c => c.Label));
        Assert.NotEqual(a.Select(c => c.Label), SweepExpansion.Expand(d with { RandomSeed = 8 }).Select(c => c.Label));
    }

    [Theory]
    [InlineData("no_such_key", "parameters.no_such_key: unknown config key")]
    [InlineData("optim", "parameters.optim: a range needs a numeric key")]
    public void BadParameterIsRefusedNamingTheKey(string key, string message)
    {
        var ex = Assert.Throws<InvalidSweepException>(() => SweepExpansion.Expand(new SweepDefinition("grid", [new(key, Min: 0, Max: 1, Step: 0.5)], [])));
        Assert.StartsWith(message, ex.Message);
        Assert.Equal(key, ex.Key);
    }

    [Fact]
    public void SeedAsAParameterBesideSeedsIsRefused()
    {
        var ex = Assert.Throws<InvalidSweepException>(() => SweepExpansion.Expand(new SweepDefinition("grid", [new("seed", ["1", "2"])], [0, 1])));
        Assert.Equal("seed", ex.Key);
    }

    [Fact]
    public void RandomSweepWithoutABudgetIsRefused()
    {
        var ex = Assert.Throws<InvalidSweepException>(() => SweepExpansion.Expand(new SweepDefinition("random", [new("lr", ["0.1"])], [])));
        Assert.Equal("budget", ex.Field);
    }

    [Fact]
    public void OversizedGridIsRefusedBeforeEnumeration()
    {
        var hundred = Enumerable.Range(1, 100).Select(i => i.ToString()).ToList();
        var ex = Assert.Throws<InvalidSweepException>(() => SweepExpansion.Expand(new SweepDefinition("grid",
            [new("num_prompt", hundred), new("embed_dim", hundred)], [])));
        Assert.Contains("10000 combinations", ex.Message);
    }
}
