using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VptSp.Tests.Web.Support;
using VptSp.Runs.Data;

namespace VptSp.Tests.Web.Functional;

/// <summary>Queue, worker, history and hub over one server with a real SQLite file.</summary>
public sealed class RunLifecycleTests : IAsyncLifetime
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private readonly ScriptedTrainingEngine _engine = new();
    private VptSpWebFactory _factory = null!;
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _factory = new VptSpWebFactory(_dataDir, _engine);
        _http = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
    }

    [Fact]
    public async Task SubmittedRunIsFollowedOverSignalRUntilCompletedAndItsHistoryIsStored()
    {
        var hold = _engine.HoldAt(1);
        var submitted = await _http.SubmitAsync(new { config = "emoji_vptsp_g", overrides = new { n_epochs = 3 }, name = "followed" });
        Assert.Equal("queued", submitted["status"]!.GetValue<string>());
        Assert.Equal(1, submitted["position"]!.GetValue<int>());
        var id = submitted["id"]!.GetValue<long>();
        await hold.Reached.WithTimeout("the run to start");

        await using var hub = await HubClient.ConnectAsync(_factory.Server);
        await hub.SubscribeAsync(id);
        hold.Release();
        Assert.Equal("completed", await hub.Finished.WithTimeout("RunStateChanged completed"));
        Assert.Equal("running", hub.Of("RunStateChanged")[0].GetProperty("status").GetString()); // the status at subscription

        var steps = hub.Of("StepProgress");
        Assert.NotEmpty(steps);
        Assert.All(steps, s => Assert.Equal(id, s.GetProperty("runId").GetInt64()));
        Assert.Equal(12, steps[^1].GetProperty("step").GetInt32()); // the run's last step always goes out
        Assert.Subset(steps.Select(s => s.GetProperty("step").GetInt32()).ToHashSet(), new HashSet<int> { 4, 8 }); // and each epoch's last
        Assert.True(steps[^1].TryGetProperty("imagesPerSecond", out _) && steps[^1].TryGetProperty("eta", out _));
        Assert.Equal(4, steps[^1].GetProperty("stepsPerEpoch").GetInt32()); // the page's "step s/S of the epoch"
        Assert.True(steps[^1].GetProperty("etaReady").GetBoolean());       // past the warm-up steps
        var epochs = hub.Of("EpochCompleted");
        Assert.Equal([1, 2, 3], epochs.Select(e => e.GetProperty("epoch").GetInt32()));
        Assert.Equal(0.3, epochs[^1].GetProperty("metrics").GetProperty("recall@1").GetDouble(), 6);

        var run = await _http.GetRunAsync(id);
        Assert.Equal("completed", run["status"]!.GetValue<string>());
        Assert.Null(run["error"]);
        Assert.Equal(3, run["config"]!["n_epochs"]!.GetValue<int>());
        Assert.Equal("followed", run["run"]!["name"]!.GetValue<string>());
        Assert.Equal("vptsp_g", run["run"]!["method"]!.GetValue<string>());
        Assert.Equal(3, run["run"]!["bestEpoch"]!.GetValue<int>());
        Assert.Equal(25, run["run"]!["trainableParameters"]!.GetValue<long>());
        Assert.Equal("fingerprint-emoji", run["reproducibility"]!["datasetFingerprint"]!.GetValue<string>());
        Assert.Contains(ScriptedTrainingEngine.ArtefactFile, run["artefacts"]!.AsArray().Select(a => a!.GetValue<string>()));

        var metrics = await _http.GetMetricsAsync(id);
        Assert.Equal(Enumerable.Range(1, 12), RunsClient.StepNumbers(metrics));
        Assert.Equal([1, 2, 3], RunsClient.EpochNumbers(metrics));
        Assert.Equal(0.2, metrics["epochs"]![1]!["recall@1"]!.GetValue<double>(), 6);

        await using var scope = _factory.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ExperimentDbContext>>().CreateDbContextAsync();
        Assert.Equal(12, await db.Steps.CountAsync(s => s.RunId == id));
        Assert.Equal(3, await db.Epochs.CountAsync(e => e.RunId == id));
        var row = await db.Runs.SingleAsync(r => r.Id == id);
        Assert.Equal(3, row.EpochsCompleted);
        Assert.NotNull(row.StartedAt);
        Assert.NotNull(row.FinishedAt);

        var call = Assert.Single(_engine.Calls);
        Assert.False(call.OnThreadPool);
        Assert.Equal($"vptsp-train-{id}", call.ThreadName);
    }

    [Fact]
    public async Task SubscribingLateStillReportsTheFinalStatusAndUnknownRunsAreRefused()
    {
        var id = await _http.SubmitDemoAsync(epochs: 1);
        await _http.WaitForStatusAsync(id, "completed");
        await using var hub = await HubClient.ConnectAsync(_factory.Server);
        await hub.SubscribeAsync(id);
        Assert.Equal("completed", await hub.Finished.WithTimeout("the current status"));
        var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.SubscribeAsync(987654));
        Assert.Contains("987654", refused.Message);
        await hub.UnsubscribeAsync(id);
    }

    [Fact]
    public async Task CancelledRunResumesFromItsCheckpointWithoutGapsOrDuplicateSteps()
    {
        var hold = _engine.HoldAt(7); // epoch 2 of 4-step epochs: epoch 1 is checkpointed, steps 5–6 are partial
        var id = await _http.SubmitDemoAsync(epochs: 3);
        await hold.Reached.WithTimeout("step 7");
        var deleteWhileRunning = await _http.DeleteAsync($"/api/runs/{id}");
        Assert.Equal(HttpStatusCode.Conflict, deleteWhileRunning.StatusCode);
        (await deleteWhileRunning.ProblemAsync()).Dispose();
        Assert.Equal(HttpStatusCode.Conflict, (await _http.PostAsync($"/api/runs/{id}/resume", null)).StatusCode);

        var cancel = await _http.PostAsync($"/api/runs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        await _http.WaitForStatusAsync(id, "cancelled");
        var partial = await _http.GetMetricsAsync(id);
        Assert.Equal([1], RunsClient.EpochNumbers(partial));
        Assert.Equal(Enumerable.Range(1, 6), RunsClient.StepNumbers(partial));

        var resume = await _http.PostAsync($"/api/runs/{id}/resume", null);
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        await _http.WaitForStatusAsync(id, "completed");
        Assert.Equal(HttpStatusCode.Conflict, (await _http.PostAsync($"/api/runs/{id}/cancel", null)).StatusCode);

        Assert.True(_engine.Calls[^1].Request.Resume);
        var metrics = await _http.GetMetricsAsync(id);
        Assert.Equal(Enumerable.Range(1, 12), RunsClient.StepNumbers(metrics));
        Assert.Equal([1, 2, 3], RunsClient.EpochNumbers(metrics));
        var run = await _http.GetRunAsync(id);
        Assert.Equal(3, run["run"]!["epochsCompleted"]!.GetValue<int>());
    }

    [Fact]
    public async Task ARunCheckpointedMidEpochResumesFromThatStepWithoutGapsOrDuplicates()
    {
        _engine.MidEpochCheckpoints = true;
        try
        {
            var hold = _engine.HoldAt(7);
            var id = await _http.SubmitDemoAsync(epochs: 3);
            await hold.Reached.WithTimeout("step 7");
            Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync($"/api/runs/{id}/cancel", null)).StatusCode);
            await _http.WaitForStatusAsync(id, "cancelled");

            Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync($"/api/runs/{id}/resume", null)).StatusCode);
            await _http.WaitForStatusAsync(id, "completed");
            var metrics = await _http.GetMetricsAsync(id);
            Assert.Equal(Enumerable.Range(1, 12), RunsClient.StepNumbers(metrics));
            Assert.Equal([1, 2, 3], RunsClient.EpochNumbers(metrics));
        }
        finally
        {
            _engine.MidEpochCheckpoints = false;
        }
    }

    [Fact]
    public async Task QueuedRunsExecuteInSubmissionOrderAndAQueuedRunCanBeCancelled()
    {
        var hold = _engine.HoldAt(1);
        var first = await _http.SubmitDemoAsync(epochs: 1, name: "first");
        await hold.Reached.WithTimeout("the first run to start");
        var second = await _http.SubmitAsync(new { config = "emoji_vptsp_g", overrides = new { n_epochs = 1 }, name = "second" });
        var third = await _http.SubmitAsync(new { config = "emoji_vptsp_g", overrides = new { n_epochs = 1 }, name = "third" });
        var fourth = await _http.SubmitAsync(new { config = "emoji_vptsp_g", overrides = new { n_epochs = 1 }, name = "fourth" });
        Assert.Equal([1, 2, 3], new[] { second, third, fourth }.Select(r => r["position"]!.GetValue<int>()));

        var cancelThird = await _http.PostAsync($"/api/runs/{third["id"]}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancelThird.StatusCode);
        Assert.Equal("cancelled", await _http.StatusOfAsync(third["id"]!.GetValue<long>()));
        Assert.Equal("queued", await _http.StatusOfAsync(second["id"]!.GetValue<long>()));

        hold.Release();
        await _http.WaitForStatusAsync(fourth["id"]!.GetValue<long>(), "completed");
        var order = _engine.Calls.Select(c => Path.GetFileName(c.Request.RunDirectory)).ToList();
        Assert.Equal([first.ToString(), second["id"]!.ToString(), fourth["id"]!.ToString()], order);
    }

    [Fact]
    public async Task FailingRunIsMarkedFailedWithItsErrorAndTheServerKeepsServing()
    {
        _engine.ThrowAtStep = 2;
        var crashed = await _http.SubmitDemoAsync(epochs: 1);
        Assert.Equal("failed", await _http.WaitForStatusAsync(crashed, "failed", "completed"));
        Assert.Contains("scripted crash at step 2", (await _http.GetRunAsync(crashed))["error"]!.GetValue<string>());

        _engine.FailAtStep = 3;
        var failed = await _http.SubmitDemoAsync(epochs: 1);
        Assert.Equal("failed", await _http.WaitForStatusAsync(failed, "failed", "completed"));
        Assert.Equal("scripted failure at step 3", (await _http.GetRunAsync(failed))["error"]!.GetValue<string>());

        var next = await _http.SubmitDemoAsync(epochs: 1);
        Assert.Equal("completed", await _http.WaitForStatusAsync(next, "failed", "completed"));
        // it failed before its first checkpoint: nothing to resume, and the API says so before anyone tries
        Assert.False((await _http.GetRunAsync(failed))["actions"]!["resume"]!.GetValue<bool>());
        var resumeFailed = await _http.PostAsync($"/api/runs/{failed}/resume", null);
        Assert.Equal(HttpStatusCode.Conflict, resumeFailed.StatusCode);
        using var problem = await resumeFailed.ProblemAsync();
        Assert.Contains("before its first checkpoint", problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AFailedRunResumesFromItsLastCheckpointAndCompletes()
    {
        _engine.FailAtStep = _engine.StepsPerEpoch + 2; // epoch 1 finished and checkpointed, epoch 2 fails (out of memory, say)
        var id = await _http.SubmitDemoAsync(epochs: 2);
        Assert.Equal("failed", await _http.WaitForStatusAsync(id, "failed", "completed"));
        var actions = (await _http.GetRunAsync(id))["actions"]!;
        Assert.True(actions["resume"]!.GetValue<bool>());
        Assert.False(actions["cancel"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync($"/api/runs/{id}/resume", null)).StatusCode);
        Assert.Equal("completed", await _http.WaitForStatusAsync(id, "completed", "failed"));
        Assert.True(_engine.Calls[^1].Request.Resume);
        var run = await _http.GetRunAsync(id);
        Assert.Null(run["error"]);
        Assert.Equal(2, run["run"]!["epochsCompleted"]!.GetValue<int>());
        // finished runs cannot be resumed again
        Assert.Equal(HttpStatusCode.Conflict, (await _http.PostAsync($"/api/runs/{id}/resume", null)).StatusCode);
    }

    [Fact]
    public async Task DeletingARunRemovesItsRowsAndItsFolder()
    {
        var id = await _http.SubmitDemoAsync(epochs: 1);
        await _http.WaitForStatusAsync(id, "completed");
        var folder = Path.Combine(_dataDir, "runs", id.ToString());
        Assert.True(File.Exists(Path.Combine(folder, ScriptedTrainingEngine.ArtefactFile)));

        var delete = await _http.DeleteAsync($"/api/runs/{id}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.False(Directory.Exists(folder));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/api/runs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/api/runs/{id}/metrics")).StatusCode);

        await using var scope = _factory.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ExperimentDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Steps.CountAsync(s => s.RunId == id));
        Assert.Equal(0, await db.Epochs.CountAsync(s => s.RunId == id));
    }

    [Fact]
    public async Task RunsAreListedWithFiltersAndExportedAsCsv()
    {
        var id = await _http.SubmitDemoAsync(epochs: 1, name: "csv, \"quoted\"");
        await _http.WaitForStatusAsync(id, "completed");

        var completed = await _http.GetStringAsync("/api/runs?status=completed&dataset=emoji&method=vptsp_g");
        Assert.Contains($"\"id\":{id}", completed);
        Assert.Equal("[]", await _http.GetStringAsync("/api/runs?status=queued"));
        Assert.Equal("[]", await _http.GetStringAsync("/api/runs?dataset=cub200"));
        var badFilter = await _http.GetAsync("/api/runs?status=sleeping");
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        await badFilter.ProblemAsync();

        var csv = await _http.GetAsync("/api/runs.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,name,status,dataset,method", lines[0]);
        var row = Assert.Single(lines, l => l.StartsWith($"{id},", StringComparison.Ordinal));
        Assert.StartsWith($"{id},\"csv, \"\"quoted\"\"\",completed,emoji,vptsp_g,", row);
    }
}
