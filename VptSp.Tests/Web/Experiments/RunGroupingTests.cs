using VptSp.Core.Training;
using VptSp.Web.Services.Experiments;
using static VptSp.Tests.Web.Experiments.ExperimentFixtures;

namespace VptSp.Tests.Web.Experiments;

public sealed class RunGroupingTests
{
    [Fact]
    public void SweepGroupsAreOneRowPerCombinationWithMeanStdAndNOfItsCompletedRuns()
    {
        var runs = new[]
        {
            Run(1, 0.2, sweep: 1, groupKey: "lr=0.01", seed: 0),
            Run(2, 0.4, sweep: 1, groupKey: "lr=0.01", seed: 1),
            Run(3, 0.9, sweep: 1, groupKey: "lr=0.01", seed: 2),
            Run(4, 0.5, sweep: 1, groupKey: "lr=0.1", seed: 0),
            Run(5, null, sweep: 1, groupKey: "lr=0.1", seed: 1, status: RunState.Failed),
            Run(6, 0.8),
        };
        var groups = RunGrouping.Group(runs, "sweep");

        Assert.Equal(["(not in a sweep)", "sweep #1 · lr=0.1", "sweep #1 · lr=0.01"], groups.Select(g => g.Label));
        var first = groups.Single(g => g.Label.EndsWith("lr=0.01"));
        var s = first.Stat("recall@1")!.Value;
        Assert.Equal(0.5, s.Mean, 12);
        Assert.Equal(0.36055512754639896, s.Std, 12);
        Assert.Equal(3, s.N);
        var second = groups.Single(g => g.Label.EndsWith("lr=0.1"));
        Assert.Equal(2, second.Runs.Count);
        Assert.Equal(1, second.Stat("recall@1")!.Value.N); // the failed run does not count
    }

    [Fact]
    public void ConfigKeyGroupsIgnoreTheSeedAndTagGroupsHoldARunOncePerTag()
    {
        var runs = new[] { Run(1, 0.1, lr: 0.01, seed: 0, tags: ["a", "b"]), Run(2, 0.3, lr: 0.01, seed: 1, tags: ["a"]), Run(3, 0.5, lr: 0.1) };
        var byLr = RunGrouping.Group(runs, "key:lr");
        Assert.Equal(["lr=0.1", "lr=0.01"], byLr.Select(g => g.Label));
        Assert.Equal(0.2, byLr[1].Stat("recall@1")!.Value.Mean, 12);

        var byTag = RunGrouping.Group(runs, "tag");
        Assert.Equal(["(untagged)", "tag a", "tag b"], byTag.Select(g => g.Label));
        Assert.Equal([1L, 2L], byTag[1].Runs.Select(r => r.Id));
    }

    [Theory]
    [InlineData("colour")]
    [InlineData("key:nope")]
    public void UnknownGroupingIsRefusedNamingIt(string by)
    {
        var ex = Assert.Throws<ArgumentException>(() => RunGrouping.Group([Run(1, 0.1)], by));
        Assert.Contains(by.Replace("key:", ""), ex.Message);
    }

    [Fact]
    public void DifferingKeysListsOnlyTheKeysThatDiffer()
    {
        var configs = new[] { Run(1, 0.1, lr: 0.01, seed: 0).Config, Run(2, 0.1, lr: 0.1, seed: 0).Config, Run(3, 0.1, lr: 0.01, seed: 3).Config };
        Assert.Equal(["seed", "lr"], RunGrouping.DifferingKeys(configs));
    }
}
