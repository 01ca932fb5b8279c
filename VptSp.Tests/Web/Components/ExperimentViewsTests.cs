using VptSp.Core.Training;
using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using VptSp.Tests.Web.Experiments;
using VptSp.Web.Components.Experiments;
using VptSp.Web.Components.Pages.Results;
using VptSp.Web.Components.Pages.Sweeps;
using VptSp.Web.Services.Experiments;
using static VptSp.Tests.Web.Experiments.ExperimentFixtures;

namespace VptSp.Tests.Web.Components;

[Collection("bunit-pages")]
public sealed class ExperimentViewsTests : PageTestContext
{
    private readonly FakeExperimentService _experiments = new();

    public ExperimentViewsTests() => Services.AddSingleton<IExperimentService>(_experiments);

    private static IReadOnlyList<RunGroup> TwoGroups() => RunGrouping.Group(
    [
        Run(1, 0.2, 0.1, sweep: 1, groupKey: "lr=0.01", seed: 0),
        Run(2, 0.4, 0.2, sweep: 1, groupKey: "lr=0.01", seed: 1),
        Run(3, 0.9, 0.3, sweep: 1, groupKey: "lr=0.01", seed: 2),
        Run(4, 0.5, 0.25, sweep: 1, groupKey: "lr=0.1", seed: 0),
        Run(5, null, sweep: 1, groupKey: "lr=0.1", seed: 1, status: RunState.Running),
    ], "sweep");

    [Fact]
    public void GroupRowsShowMeanStdAndNAndExpandToTheirRuns()
    {
        var table = Render<GroupRowsTable>(p => p.Add(c => c.Groups, TwoGroups()));

        var rows = table.FindAll("tr.group-row");
        Assert.Equal(2, rows.Count);
        var first = table.Find("tr.group-row[data-group='sweep:1|lr=0.01']");
        Assert.Equal("sweep #1 · lr=0.01", first.QuerySelector(".group-label")!.TextContent);
        Assert.Equal("3/3", first.QuerySelector(".group-n")!.TextContent);
        // R@1 0.2, 0.4, 0.9 → 50.00 ± 36.06 (sample std √0.13); MAP@R 0.1, 0.2, 0.3 → 20.00 ± 10.00.
        Assert.Equal("50.00 ± 36.06", first.QuerySelector("[data-metric='recall@1']")!.TextContent);
        Assert.Equal("20.00 ± 10.00", first.QuerySelector("[data-metric='map@r']")!.TextContent);
        Assert.Equal("1/2", table.Find("tr.group-row[data-group='sweep:1|lr=0.1'] .group-n").TextContent);
        Assert.Empty(table.FindAll("tr.group-run"));

        first.QuerySelector(".group-expand")!.Click();
        Assert.Equal(["1", "2", "3"], table.FindAll("tr.group-run").Select(r => r.GetAttribute("data-run")!).Order().ToList());
    }

    [Fact]
    public void BandChartDrawsEachGroupsMeanWithAMinMaxOrStdBand()
    {
        var band = GroupCurves.Band([[(1, 0.2), (2, 0.4)], [(1, 0.4), (2, 0.8)]]);
        var chart = Render<BandChart>(p => p.Add(c => c.Title, "R@1").Add(c => c.Series, [new BandChart.Curve("g", band)]));

        Assert.Single(chart.FindAll(".band-series"));
        var points = chart.FindAll("circle.band-point");
        Assert.Equal(["1", "2"], points.Select(p => p.GetAttribute("data-x")!));
        Assert.Equal(0.6, double.Parse(points[1].GetAttribute("data-mean")!, CultureInfo.InvariantCulture), 12);
        Assert.Equal(0.4, double.Parse(points[1].GetAttribute("data-lo")!, CultureInfo.InvariantCulture), 12);
        Assert.Equal(0.8, double.Parse(points[1].GetAttribute("data-hi")!, CultureInfo.InvariantCulture), 12);

        // ± std: 0.6 ± √0.08 = 0.6 ± 0.28284…
        var std = Render<BandChart>(p => p.Add(c => c.Title, "R@1").Add(c => c.Series, [new BandChart.Curve("g", band)]).Add(c => c.Mode, "std"));
        Assert.Equal(0.6 - Math.Sqrt(0.08), double.Parse(std.FindAll("circle.band-point")[1].GetAttribute("data-lo")!, CultureInfo.InvariantCulture), 12);
    }

    [Fact]
    public void ParallelCoordinatesDrawsOneAxisPerKeyAndOneLinePerRun()
    {
        var lines = new List<ParallelCoordinates.Line> { new(1, ["0.01", "sgd", "0.5"]), new(2, ["0.1", "adamw", "0.7"]), new(3, ["0.05", "sgd", "0.6"]) };
        var axes = new[] { 0, 1, 2 }.Select(i => ParallelAxis.For(new[] { "lr", "optim", "R@1" }[i], lines.Select(l => l.Values[i]))).ToList();
        var pc = Render<ParallelCoordinates>(p => p.Add(c => c.Title, "pc").Add(c => c.Axes, axes).Add(c => c.Lines, lines));

        Assert.Equal(["lr", "optim", "R@1"], pc.FindAll("g.pc-axis").Select(a => a.GetAttribute("data-axis")!));
        Assert.Equal(3, pc.FindAll("polyline.pc-line").Count);
        // lr 0.05 sits at (0.05 − 0.01) / (0.1 − 0.01) = 0.444… of the lr axis; optim is categorical (adamw 0, sgd 1).
        Assert.Equal(0.4 / 0.9, axes[0].Position("0.05"), 12);
        Assert.Equal(1.0, axes[1].Position("sgd"));
        Assert.Equal(0.0, axes[1].Position("adamw"));
    }

    [Fact]
    public void ResultsPageShowsTheTableAndItsMarkdownExport()
    {
        _experiments.Runs.AddRange([Run(1, 0.5, 0.2, r2: 0.7, mapRef: 0.1, tags: ["a"]), Run(2, 0.6, 0.3, r2: 0.8, mapRef: 0.2, tags: ["a"])]);
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("/results?ids=1,2&by=tag");
        var page = RenderPage<ResultsPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.results-row")));
        Assert.Equal(["tag a", "2", "55.00 ± 7.07", "75.00 ± 7.07", "25.00 ± 7.07", "15.00 ± 7.07", "25 (2.50 %)", "—", "—"],
            page.FindAll("tr.results-row td").Select(td => td.TextContent));
        Assert.Contains("| tag a | 2 | 55.00 ± 7.07 |", page.Find("pre.results-export").TextContent);
        Assert.Contains("best epoch", page.Find(".results-rule").TextContent);
    }

    [Fact]
    public void SweepsPageShowsTheInvalidCombinationAndQueuesNothing()
    {
        _experiments.CreateError = new InvalidSweepException("parameters", "combination lr=0.01, proxy_bias_ratio=1.5, seed=0: proxy_bias_ratio: must be within [0, 1]", "proxy_bias_ratio");
        var page = RenderPage<SweepsPage>();

        page.Find("button.sweep-submit").Click();
        page.WaitForAssertion(() => Assert.Contains("proxy_bias_ratio=1.5", page.Find(".sweep-error").TextContent));
        var request = Assert.Single(_experiments.Requests);
        Assert.Equal("grid", request.Definition.Mode);
        Assert.Equal([0, 1, 2], request.Definition.Seeds);
        Assert.Equal("lr", Assert.Single(request.Definition.Parameters).Key);
    }
}

/// <summary>An <see cref="IExperimentService"/> over a list of runs; records sweep requests.</summary>
public sealed class FakeExperimentService : IExperimentService
{
    public List<ExperimentRun> Runs { get; } = [];
    public List<SweepRequest> Requests { get; } = [];
    public Exception? CreateError { get; set; }

    public Task<SweepCreated> CreateSweepAsync(SweepRequest request, CancellationToken ct = default)
    {
        Requests.Add(request);
        if (CreateError is not null) throw CreateError;
        return Task.FromResult(new SweepCreated(1, []));
    }

    public Task<IReadOnlyList<SweepSummary>> ListSweepsAsync(CancellationToken ct = default) => Task.FromResult<IReadOnlyList<SweepSummary>>([]);

    public Task<SweepDetail> GetSweepAsync(long id, CancellationToken ct = default) => throw new SweepNotFoundException(id);

    public Task<int> CancelSweepAsync(long id, CancellationToken ct = default) => Task.FromResult(0);

    public Task<IReadOnlyList<ExperimentRun>> ListRunsAsync(IReadOnlyCollection<long>? ids = null, bool includeArchived = false, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ExperimentRun>>(Runs.Where(r => ids is null || ids.Contains(r.Id)).ToList());
}
