using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using VptSp.Core.Training;
using VptSp.Tests.Support;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Web.ScaleOut;

/// <summary>
/// Scale-out on a real PostgreSQL server: the dashboard as a real process with no in-process worker, and two real
/// <c>VptSp.Worker</c> processes sharing the queue and a data directory. Runs are tiny real trainings.
/// </summary>
[Collection("postgres")]
public sealed class ScaleOutTests(PostgresServer postgres) : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(6);

    private readonly string _dataDir = Directory.CreateTempSubdirectory("vptsp-scale-").FullName;
    private readonly SyntheticDataset _data = new(classes: 8, imagesPerClass: 40);

    public void Dispose()
    {
        _data.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    [SkippableFact]
    public async Task SixRunsOnTwoWorkersAllCompleteOnBothWorkersWithLiveProgressAtTheDashboard()
    {
        var env = await StoreAsync();
        await using var web = await ServerProcess.StartAsync(_dataDir, Dashboard(env));
        await using var w1 = await StartWorkerAsync("w1", env);
        await using var w2 = await StartWorkerAsync("w2", env);
        await using var hub = await HubClient.ConnectAsync(web.BaseUrl);

        var ids = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            var id = await SubmitAsync(web, epochs: 2, $"scale {i}");
            await hub.SubscribeAsync(id);
            ids.Add(id);
        }
        foreach (var id in ids)
        {
            var status = await Eventually.UntilAsync(() => web.Http.StatusOfAsync(id), s => s is "completed" or "failed" or "interrupted", $"run {id} to end", Long);
            Assert.True(status == "completed", $"run {id} ended {status}: {(await web.Http.GetRunAsync(id))["error"]}\n{w1.OutputTail()}\n{w2.OutputTail()}");
        }

        var workers = new List<string>();
        foreach (var id in ids)
        {
            var run = (await web.Http.GetRunAsync(id))["run"]!;
            workers.Add(run["worker"]!.GetValue<string>().Split(" · ")[0]);
            var metrics = await web.Http.GetMetricsAsync(id);
            Assert.Equal(new[] { 1, 2 }, RunsClient.EpochNumbers(metrics));
        }
        Assert.Equal(["w1", "w2"], workers.Distinct().Order());
        Assert.All(workers, w => Assert.Contains(w, new[] { "w1", "w2" }));

        // Progress written by other processes reached the dashboard's SignalR hub, as for a local run.
        await Eventually.UntilAsync(() => Task.FromResult(CompletedOnHub(hub)), done => ids.All(done.Contains), "every run's completion on the hub");
        Assert.NotEmpty(hub.Of("StepProgress"));
        Assert.Equal(ids.Order(), hub.Of("EpochCompleted").Select(e => e.GetProperty("runId").GetInt64()).Distinct().Order());
    }

    [SkippableFact]
    public async Task ACancelMadeThroughTheDashboardApiStopsTheRunOnARemoteWorkerWithinSeconds()
    {
        var env = await StoreAsync();
        await using var web = await ServerProcess.StartAsync(_dataDir, Dashboard(env));
        await using var w1 = await StartWorkerAsync("w1", env);
        var id = await SubmitAsync(web, epochs: 40, "long");
        await Eventually.UntilAsync(async () => RunsClient.StepNumbers(await web.Http.GetMetricsAsync(id)).Length, n => n >= 3, "the run to train a few steps", Long);

        var clock = Stopwatch.StartNew();
        var response = await web.Http.PostAsync($"/api/runs/{id}/cancel", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var status = await Eventually.UntilAsync(() => web.Http.StatusOfAsync(id), s => s != "running", "the cancel to reach the worker", TimeSpan.FromSeconds(30));
        clock.Stop();

        Assert.Equal("cancelled", status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the cancel took {clock.Elapsed.TotalSeconds:F1} s");
        Assert.StartsWith("w1", (await web.Http.GetRunAsync(id))["run"]!["worker"]!.GetValue<string>());
        Assert.False(w1.HasExited, w1.OutputTail()); // the worker lives on and takes the next run
    }

    [SkippableFact]
    public async Task AWorkerKilledMidRunLosesItsRunToTheOtherWorkerWhichCompletesItWithEveryEpochOnce()
    {
        const int epochs = 6;
        var env = await StoreAsync();
        await using var web = await ServerProcess.StartAsync(_dataDir, Dashboard(env));
        await using var w1 = await StartWorkerAsync("w1", env);
        await using var w2 = await StartWorkerAsync("w2", env);
        var id = await SubmitAsync(web, epochs, "killed worker");
        var first = await Eventually.UntilAsync(() => web.Http.GetRunAsync(id),
            r => r["run"]!["epochsCompleted"]!.GetValue<int>() >= 2 && r["status"]!.GetValue<string>() == "running", "two epochs on the first worker", Long);
        var owner = first["run"]!["worker"]!.GetValue<string>().Split(" · ")[0];
        var (victim, survivor) = owner == "w1" ? (w1, w2) : (w2, w1);
        victim.KillHard();

        var status = await Eventually.UntilAsync(() => web.Http.StatusOfAsync(id), s => s is "completed" or "failed" or "interrupted", "the run to complete on the other worker", Long);
        var run = await web.Http.GetRunAsync(id);
        Assert.True(status == "completed", $"{status}: {run["error"]}\n{survivor.OutputTail()}");
        Assert.StartsWith(survivor.Name, run["run"]!["worker"]!.GetValue<string>());

        var metrics = await web.Http.GetMetricsAsync(id);
        Assert.Equal(Enumerable.Range(1, epochs), RunsClient.EpochNumbers(metrics));
        var steps = RunsClient.StepNumbers(metrics);
        Assert.Equal(Enumerable.Range(1, steps.Length), steps); // every step once, in order, no gap
        Assert.Equal(epochs, run["run"]!["epochsCompleted"]!.GetValue<int>());
        Assert.Contains("resum", string.Join('\n', survivor.OutputTail(200)));
    }

    private async Task<Dictionary<string, string>> StoreAsync()
    {
        postgres.SkipIfUnavailable();
        return new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["Storage__ConnectionString"] = await postgres.CreateDatabaseAsync(),
            ["Storage__DataDirectory"] = _dataDir,
            ["Workers__LeaseSeconds"] = "6",
            ["Workers__HeartbeatSeconds"] = "1",
        };
    }

    private static Dictionary<string, string> Dashboard(Dictionary<string, string> env) =>
        new(env) { ["Workers__InProcess"] = "false" };

    /// <summary>Starts a worker and waits until it says it takes runs (the dashboard has migrated the database by then).</summary>
    private static async Task<WorkerProcess> StartWorkerAsync(string name, Dictionary<string, string> env)
    {
        var worker = WorkerProcess.Start(name, env);
        await Eventually.UntilAsync(() => Task.FromResult(worker.OutputTail(200)), o => o.Contains("takes queued runs") || worker.HasExited,
            $"worker {name} to start", TimeSpan.FromSeconds(90));
        Assert.False(worker.HasExited, worker.OutputTail());
        return worker;
    }

    private async Task<long> SubmitAsync(ServerProcess web, int epochs, string name)
    {
        var submitted = await web.Http.SubmitAsync(new
        {
            config = SyntheticDataset.TinyConfig("vptsp_g").ToYaml(),
            overrides = new Dictionary<string, string> { ["n_epochs"] = $"{epochs}", ["lr_cosine_length"] = $"{epochs}" },
            sourcePath = _data.Root,
            name,
        });
        return submitted["id"]!.GetValue<long>();
    }

    private static HashSet<long> CompletedOnHub(HubClient hub) =>
        hub.Of("RunStateChanged").Where(e => e.GetProperty("status").GetString() == "completed").Select(e => e.GetProperty("runId").GetInt64()).ToHashSet();
}
