using VptSp.Core.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VptSp.Tests.Web.Support;
using VptSp.Runs.Data;
using VptSp.Runs.Data.Entities;

namespace VptSp.Tests.Web.Functional;

/// <summary>Stopping and starting the server over the same data directory.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RestartingTheHostMidRunLeavesItInterruptedAndQueuedRunsArePickedUpAgain()
    {
        var engine = new ScriptedTrainingEngine();
        long running, queued;
        await using (var first = new VptSpWebFactory(_dataDir, engine))
        {
            var http = first.CreateClient();
            var hold = engine.HoldAt(6);
            running = await http.SubmitDemoAsync(epochs: 2);
            await hold.Reached.WithTimeout("step 6");
            queued = await http.SubmitDemoAsync(epochs: 1, name: "waiting");
            Assert.Equal("queued", await http.StatusOfAsync(queued));
        }

        await using var second = new VptSpWebFactory(_dataDir, engine);
        var http2 = second.CreateClient();
        var interrupted = await http2.GetRunAsync(running);
        Assert.Equal("interrupted", interrupted["status"]!.GetValue<string>());
        Assert.NotNull(interrupted["error"]);
        var partial = await http2.GetMetricsAsync(running);
        Assert.Equal([1], RunsClient.EpochNumbers(partial));
        Assert.Equal(Enumerable.Range(1, 5), RunsClient.StepNumbers(partial));

        // The run queued before the restart runs now; then the interrupted one resumes to the end.
        await http2.WaitForStatusAsync(queued, "completed");
        var resume = await http2.PostAsync($"/api/runs/{running}/resume", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, resume.StatusCode);
        await http2.WaitForStatusAsync(running, "completed");
        var metrics = await http2.GetMetricsAsync(running);
        Assert.Equal(Enumerable.Range(1, 8), RunsClient.StepNumbers(metrics));
        Assert.Equal([1, 2], RunsClient.EpochNumbers(metrics));
    }

    [Fact]
    public async Task RunsLeftRunningByACrashAreMarkedInterruptedAtStartUp()
    {
        var engine = new ScriptedTrainingEngine();
        long id;
        await using (var first = new VptSpWebFactory(_dataDir, engine))
        {
            // Start the host (migrates the database), then write a row as a killed server would leave it.
            _ = first.CreateClient();
            await using var db = await first.Services.GetRequiredService<IDbContextFactory<ExperimentDbContext>>().CreateDbContextAsync();
            var row = new RunEntity { Name = "killed", Status = RunState.Running, ConfigJson = "{}", CreatedAt = DateTimeOffset.UtcNow, StartedAt = DateTimeOffset.UtcNow, RunDirectory = Path.Combine(_dataDir, "runs", "x") };
            db.Runs.Add(row);
            await db.SaveChangesAsync();
            db.Steps.Add(new StepSampleEntity { RunId = row.Id, Step = 1, Epoch = 1, Loss = 1 });
            await db.SaveChangesAsync();
            id = row.Id;
        }

        await using var second = new VptSpWebFactory(_dataDir, engine);
        await using var db2 = await second.Services.GetRequiredService<IDbContextFactory<ExperimentDbContext>>().CreateDbContextAsync();
        var after = await db2.Runs.AsNoTracking().SingleAsync(r => r.Id == id);
        Assert.Equal(RunState.Interrupted, after.Status);
        Assert.Equal(1, await db2.Steps.CountAsync(s => s.RunId == id));
        Assert.Empty(engine.Calls);
    }

    [Fact]
    public async Task ARunLeftRunningByACrashThatAskedForAutoResumeIsRequeuedAndRunsAgainAtStartUp()
    {
        // The same decision as a lost lease on PostgreSQL (RunLifecycle.WorkerLost): interrupted only without auto_resume.
        var engine = new ScriptedTrainingEngine();
        long id;
        await using (var first = new VptSpWebFactory(_dataDir, engine))
        {
            _ = first.CreateClient();
            await using var db = await first.Services.GetRequiredService<IDbContextFactory<ExperimentDbContext>>().CreateDbContextAsync();
            var row = new RunEntity
            {
                Name = "killed", Status = RunState.Running, ConfigJson = new TrainingConfig().ToJson(), CreatedAt = DateTimeOffset.UtcNow,
                StartedAt = DateTimeOffset.UtcNow, RunDirectory = Path.Combine(_dataDir, "runs", "x"), AutoResume = true, Executions = 1,
            };
            db.Runs.Add(row);
            await db.SaveChangesAsync();
            id = row.Id;
        }

        await using var second = new VptSpWebFactory(_dataDir, engine);
        var http = second.CreateClient();
        await http.WaitForStatusAsync(id, "completed");
        Assert.Single(engine.Calls);
    }
}
