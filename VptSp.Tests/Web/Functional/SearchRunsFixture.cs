using VptSp.Core.Training;
using VptSp.Tests.Support;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Web.Functional;

/// <summary>
/// The web app with the real Trainer and two completed tiny runs on a real PNG dataset: both <c>vpt</c> over the same
/// (seeded random) backbone with different learning rates, so they share one pooled model; plus one failed run.
/// </summary>
public sealed class SearchRunsFixture : IAsyncLifetime
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();

    public SyntheticDataset Data { get; } = new();
    public VptSpWebFactory Factory { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public long RunA { get; private set; }
    public long RunB { get; private set; }
    public long FailedRun { get; private set; }

    public string RunDirectory(long id) => Path.Combine(_dataDir, "runs", id.ToString());

    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    public async Task InitializeAsync()
    {
        Factory = new VptSpWebFactory(_dataDir, engine: null);
        Http = Factory.CreateClient();
        RunA = await Submit("a", "0.003");
        RunB = await Submit("b", "0.03");
        FailedRun = (await Http.SubmitAsync(new { config = "cub200_small", overrides = new { n_epochs = 1 }, sourcePath = Data.Root }))["id"]!.GetValue<long>();
        foreach (var id in new[] { RunA, RunB })
            Assert.Equal("completed", await Eventually.UntilAsync(() => Http.StatusOfAsync(id), s => s is "completed" or "failed", $"run {id}", Long));
        Assert.Equal("failed", await Eventually.UntilAsync(() => Http.StatusOfAsync(FailedRun), s => s is "failed" or "completed", "the failing run", Long));
    }

    private async Task<long> Submit(string name, string lr)
    {
        var submitted = await Http.SubmitAsync(new
        {
            config = SyntheticDataset.TinyConfig("vpt").ToYaml(),
            overrides = new Dictionary<string, string> { ["lr"] = lr },
            sourcePath = Data.Root,
            name,
        });
        return submitted["id"]!.GetValue<long>();
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
        Data.Dispose();
    }
}
