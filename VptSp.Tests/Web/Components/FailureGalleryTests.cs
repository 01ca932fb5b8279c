using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using VptSp.Core.Training;
using VptSp.Tests.Core.Inference.Retrieval;
using VptSp.Tests.Support;
using VptSp.Web.Components.Pages.Runs;
using VptSp.Web.Options;
using VptSp.Runs;
using VptSp.Web.Services.Retrieval;

namespace VptSp.Tests.Web.Components;

/// <summary>The Run page's failure gallery component over a real run directory (artefact without training).</summary>
public sealed class FailureGalleryTests : IDisposable
{
    private readonly SyntheticDataset _data = new(classes: 24, imagesPerClass: 3);
    private readonly string _root = Directory.CreateTempSubdirectory("vptsp-failure-gallery-").FullName;

    public void Dispose()
    {
        _data.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Only <see cref="GetAsync"/> is used by the retrieval service.</summary>
    private sealed class OneRun(long id, string status, string directory) : IRunService
    {
        public Task<RunDetail> GetAsync(long runId, CancellationToken ct = default)
        {
            if (runId != id) throw new RunNotFoundException(runId);
            var summary = new RunSummary(id, "r", RunStates.Parse(status), "folder", "vpt", "vit_test_patch8_32", "", 0, 0, null, null, null, 1, 1,
                DateTimeOffset.UtcNow, null, null, [], null, false, null);
            return Task.FromResult(new RunDetail(summary, SyntheticDataset.TinyConfig("vpt"), "", null, directory, null, [], []));
        }

        public Task<IReadOnlyList<RunSummary>> ListAsync(RunFilter filter, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<RunMetrics> GetMetricsAsync(long runId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<VptSp.Runs.SystemMetrics.SystemSample>> GetSystemSamplesAsync(long runId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<SubmitResult> SubmitAsync(RunSubmission submission, CancellationToken ct = default) => throw new NotSupportedException();
        public Task CancelAsync(long runId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<SubmitResult> ResumeAsync(long runId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task DeleteAsync(long runId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task SetArchivedAsync(long runId, bool archived, CancellationToken ct = default) => throw new NotSupportedException();
        public Task SetTagsAsync(long runId, IReadOnlyList<string> tags, CancellationToken ct = default) => throw new NotSupportedException();
        public Task SetNotesAsync(long runId, string? notes, CancellationToken ct = default) => throw new NotSupportedException();
        public IReadOnlyList<string> Presets => [];
    }

    private static BunitContext Context(string status, string directory)
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddSingleton<VptSp.Web.Services.Errors.PageErrors>();
        ctx.Services.AddSingleton(new RetrievalService(new OneRun(7, status, directory), Options.Create(new SearchOptions())));
        return ctx;
    }

    [Fact]
    public async Task TheFailureGalleryListsTestClassesWorstFirstWithWrongNeighboursMarked()
    {
        var run = RetrievalRunFixtures.MakeRun(_root, "run", _data, RetrievalRunFixtures.Options(), perturbation: 3);
        await using var ctx = Context("completed", run);
        var cut = ctx.Render<FailureGallery>(p => p.Add(c => c.RunId, 7));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=failure-class]")), TimeSpan.FromSeconds(60));

        var classes = cut.FindAll("[data-testid=failure-class]");
        Assert.Equal(10, classes.Count); // the first page of the 12 test classes
        var recalls = classes.Select(c => c.QuerySelector(".mud-chip")!.TextContent.Trim()).ToList();
        var values = recalls.Select(r => double.Parse(r.Replace("R@1", "").Replace("%", "").Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(values.Order(), values);
        Assert.True(values[0] < 100, "the untrained (perturbed) model makes mistakes on this data: the worst class is below 100 %");
        Assert.NotEmpty(cut.FindAll(".vptsp-wrong img"));
        Assert.All(cut.FindAll(".vptsp-failure-thumb img"), img => Assert.StartsWith("/api/runs/7/gallery/", img.GetAttribute("src")));
    }

    [Fact]
    public async Task ARunThatIsNotCompletedGetsAMessageInsteadOfAGallery()
    {
        await using var ctx = Context("running", _root);
        var cut = ctx.Render<FailureGallery>(p => p.Add(c => c.RunId, 7));
        cut.WaitForAssertion(() => Assert.Contains("only completed runs", cut.Markup));
    }
}
