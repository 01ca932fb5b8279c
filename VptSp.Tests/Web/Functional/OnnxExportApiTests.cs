using System.Globalization;
using System.Net;
using VptSp.Core.Export;
using VptSp.Core.Inference;
using VptSp.Core.Training;
using VptSp.Tests.Support;
using VptSp.Tests.Web.Support;
using static TorchSharp.torch;

namespace VptSp.Tests.Web.Functional;

/// <summary>GET /api/runs/{id}/export/onnx on a really trained tiny run (real engine, real SQLite).</summary>
public sealed class OnnxExportApiTests : IAsyncLifetime
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private readonly SyntheticDataset _data = new();
    private VptSpWebFactory _factory = null!;
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _factory = new VptSpWebFactory(_dataDir, engine: null);
        _http = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
        _data.Dispose();
    }

    [Fact]
    public async Task ACompletedRunDownloadsAsAnOnnxModelThatEmbedsLikeTheRun()
    {
        var submitted = await _http.SubmitAsync(new
        {
            config = SyntheticDataset.TinyConfig("vpt").ToYaml(),
            overrides = new Dictionary<string, string> { ["n_epochs"] = "1", ["lr_cosine_length"] = "1" },
            sourcePath = _data.Root,
            name = "onnx",
        });
        var id = submitted["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/api/runs/{id + 100}/export/onnx")).StatusCode);
        Assert.Equal("completed", await Eventually.UntilAsync(() => _http.StatusOfAsync(id), s => s is "completed" or "failed",
            $"run {id} to finish", TimeSpan.FromMinutes(3)));

        var response = await _http.GetAsync($"/api/runs/{id}/export/onnx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var file = Path.Combine(_dataDir, "download.onnx");
        await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $"vptsp-export-{id}-*"));

        using var onnx = new OnnxEmbedder(file);
        Assert.Equal("vpt", onnx.Metadata[OnnxMetadata.Method]);
        var images = ImageFileEmbedding.Collect([_data.Root]).Take(5).ToList();
        using var model = RunModelLoader.Load(Path.Combine(_dataDir, "runs", id.ToString(CultureInfo.InvariantCulture)));
        using var scope = NewDisposeScope();
        var expected = ImageFileEmbedding.Embed(new MetricModelEmbedder(model), images);
        var actual = ImageFileEmbedding.Embed(onnx, images);
        Assert.True(expected.allclose(actual, rtol: 0, atol: 1e-4));
    }

    [Fact]
    public async Task ARunThatIsNotCompletedExportsNothing()
    {
        var submitted = await _http.SubmitAsync(new
        {
            config = SyntheticDataset.TinyConfig("vpt").ToYaml(),
            overrides = new Dictionary<string, string> { ["backbone_checkpoint"] = Path.Combine(TestPaths.TinyVitDir, "tiny_vit.safetensors") },
            sourcePath = _data.Root,
            name = "wrong-shape",
        });
        var id = submitted["id"]!.GetValue<long>();
        await Eventually.UntilAsync(() => _http.StatusOfAsync(id), s => s is "failed" or "completed", $"run {id} to finish", TimeSpan.FromMinutes(3));
        var response = await _http.GetAsync($"/api/runs/{id}/export/onnx");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("only completed runs", await response.Content.ReadAsStringAsync());
    }
}
