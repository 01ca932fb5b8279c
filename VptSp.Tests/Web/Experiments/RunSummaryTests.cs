using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using VptSp.Core.Training;
using VptSp.Runs;
using VptSp.Runs.Data;
using VptSp.Runs.Data.Entities;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Web.Experiments;

/// <summary>
/// The per-run summary (best/last results, step count, mean throughput) on the run row: results and groups are built from it,
/// and the migration that added it backfills existing runs. Over real SQLite files.
/// </summary>
public sealed class RunSummaryTests : IAsyncLifetime
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private VptSpWebFactory _factory = null!;
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _factory = new VptSpWebFactory(_dataDir, new ScriptedTrainingEngine());
        _http = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
    }

    // Three completed runs. #1 (tag a): R@1 0.5, 0.7, 0.6 (best epoch 2: MAP@R 0.3), last loss 1.2, steps at 100, 200, 0 img/s → mean 150.
    // #2 (tag a): one epoch R@1 0.8, MAP@R 0.5, one step at 300 img/s. #3 (tag b): one epoch R@1 0.4, MAP@R 0.1, no steps.
    private static readonly (string Tag, (double Loss, double R1, double Map)[] Epochs, double[] Ips)[] History =
    [
        ("a", [(2.0, 0.5, 0.2), (1.5, 0.7, 0.3), (1.2, 0.6, 0.4)], [100, 200, 0]),
        ("a", [(1.0, 0.8, 0.5)], [300]),
        ("b", [(0.9, 0.4, 0.1)], []),
    ];

    private async Task<List<long>> SeedAsync()
    {
        var ids = new List<long>();
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<ExperimentDbContext>>().CreateDbContextAsync();
        foreach (var (tag, epochs, ips) in History)
        {
            var run = new RunEntity
            {
                Name = "r", Status = RunState.Completed, ConfigJson = new TrainingConfig().ToJson(), TagsJson = $"[\"{tag}\"]",
                CreatedAt = DateTimeOffset.UtcNow, EpochsPlanned = epochs.Length,
            };
            db.Runs.Add(run);
            await db.SaveChangesAsync();
            for (var i = 0; i < epochs.Length; i++)
                db.Epochs.Add(new EpochMetricEntity
                {
                    RunId = run.Id, Epoch = i + 1, Loss = epochs[i].Loss, RecordedAt = DateTimeOffset.UtcNow,
                    MetricsJson = $"{{\"recall@1\":{epochs[i].R1},\"map@r\":{epochs[i].Map}}}",
                });
            for (var i = 0; i < ips.Length; i++)
                db.Steps.Add(new StepSampleEntity { RunId = run.Id, Step = i + 1, Epoch = 1, Loss = 1, ImagesPerSecond = ips[i] });
            await db.SaveChangesAsync();
            await RunSummaries.RefreshBestAsync(db, run); // what the recorder and the reconciler call after storing rows
            await db.SaveChangesAsync();
            ids.Add(run.Id);
        }
        return ids;
    }

    [Fact]
    public async Task RefreshKeepsBestAndLastResultsStepCountAndMeanThroughputOnTheRunRow()
    {
        var ids = await SeedAsync();
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<ExperimentDbContext>>().CreateDbContextAsync();
        var first = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == ids[0]);
        Assert.Equal((3, 2, 0.7, 0.3), (first.EpochsCompleted, first.BestEpoch!.Value, first.BestRecallAt1!.Value, first.BestMapAtR!.Value));
        Assert.Equal("{\"recall@1\":0.7,\"map@r\":0.3}", first.BestMetricsJson);
        Assert.Equal((1.2, 0.6, 3, 150.0), (first.LastLoss!.Value, first.LastRecallAt1!.Value, first.StepsRecorded, first.MeanImagesPerSecond!.Value));
        var third = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == ids[2]);
        Assert.Equal((0, (double?)null), (third.StepsRecorded, third.MeanImagesPerSecond));
    }

    [Fact]
    public async Task GroupsAndResultsFromRunSummariesEqualHandComputedAggregates()
    {
        await SeedAsync();
        var groups = JsonNode.Parse(await _http.GetStringAsync("/api/groups?by=tag"))!.AsArray();
        var a = groups.Single(g => g!["label"]!.GetValue<string>() == "tag a")!;
        Assert.Equal(2, a["completed"]!.GetValue<int>());
        // R@1 of the best epochs 0.7 and 0.8: mean 0.75, sample std √((0.05² + 0.05²)/1) = 0.0707107; MAP@R 0.3, 0.5: 0.4 ± 0.1414214.
        Assert.Equal(0.75, a["metrics"]!["recall@1"]!["mean"]!.GetValue<double>(), 9);
        Assert.Equal(0.070710678118654752, a["metrics"]!["recall@1"]!["std"]!.GetValue<double>(), 9);
        Assert.Equal(0.4, a["metrics"]!["map@r"]!["mean"]!.GetValue<double>(), 9);
        Assert.Equal(0.14142135623730950, a["metrics"]!["map@r"]!["std"]!.GetValue<double>(), 9);
        var b = groups.Single(g => g!["label"]!.GetValue<string>() == "tag b")!;
        Assert.Equal(0.4, b["metrics"]!["recall@1"]!["mean"]!.GetValue<double>(), 9);
        Assert.Equal(1, b["metrics"]!["recall@1"]!["n"]!.GetValue<int>());

        var results = JsonNode.Parse(await _http.GetStringAsync("/api/results?by=tag&format=json"))!;
        var row = results["rows"]!.AsArray().Single(r => r!["label"]!.GetValue<string>() == "tag a")!;
        // throughput: run means 150 and 300 → 225 ± √((75² + 75²)/1) = 106.066
        Assert.Equal(225, row["imagesPerSecond"]!["mean"]!.GetValue<double>(), 9);
        Assert.Equal(106.06601717798213, row["imagesPerSecond"]!["std"]!.GetValue<double>(), 9);
        Assert.Null(results["rows"]!.AsArray().Single(r => r!["label"]!.GetValue<string>() == "tag b")!["imagesPerSecond"]);
    }

    [Fact]
    public async Task MigrationBackfillsTheSummaryOfRunsRecordedBeforeIt()
    {
        var path = Path.Combine(_dataDir, "old.db");
        var options = new DbContextOptionsBuilder<ExperimentDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options;
        await using var db = new ExperimentDbContext(options);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("20261203102855_AddWorkerLeases");
        await using (var cmd = db.Database.GetDbConnection().CreateCommand())
        {
            await db.Database.OpenConnectionAsync();
            cmd.CommandText = """
            INSERT INTO "Runs" ("Id", "Name", "Status", "ConfigJson", "Preset", "Dataset", "Method", "Backbone", "TotalParameters",
                "TrainableParameters", "EpochsPlanned", "EpochsCompleted", "BestEpoch", "BestRecallAt1", "CreatedAt", "TagsJson", "Archived",
                "QueueOrder", "ResumeRequested", "RunDirectory")
            VALUES (1, 'old', 'completed', '{}', 'p', 'emoji', 'vptsp_g', 'b', 0, 0, 2, 2, 1, 0.9, '2026-01-01 00:00:00+00:00', '[]', 0, 1, 0, 'd'),
                   (2, 'empty', 'queued', '{}', 'p', 'emoji', 'vptsp_g', 'b', 0, 0, 2, 0, NULL, NULL, '2026-01-01 00:00:00+00:00', '[]', 0, 2, 0, 'd');
            INSERT INTO "EpochMetrics" ("RunId", "Epoch", "Loss", "MetricsJson", "DurationSeconds", "IsBest", "RecordedAt")
            VALUES (1, 1, 2.5, '{"recall@1":0.9,"map@r":0.45}', 1, 1, '2026-01-01 00:00:00+00:00'),
                   (1, 2, 1.75, '{"recall@1":0.8,"map@r":0.5}', 1, 0, '2026-01-01 00:00:00+00:00');
            INSERT INTO "StepSamples" ("RunId", "Step", "Epoch", "Loss", "Lr", "ImagesPerSecond")
            VALUES (1, 1, 1, 3, 0.1, 0), (1, 2, 1, 3, 0.1, 40), (1, 3, 2, 3, 0.1, 80), (1, 4, 2, 3, 0.1, 90);
            """;
            await cmd.ExecuteNonQueryAsync();
            await db.Database.CloseConnectionAsync();
        }
        await migrator.MigrateAsync();

        var old = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == 1);
        Assert.Equal("{\"recall@1\":0.9,\"map@r\":0.45}", old.BestMetricsJson);
        Assert.Equal((1.75, 0.8, 4), (old.LastLoss!.Value, old.LastRecallAt1!.Value, old.StepsRecorded));
        Assert.Equal(70.0, old.MeanImagesPerSecond!.Value, 12); // (40 + 80 + 90) / 3: the step that did not measure is left out
        var empty = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == 2);
        Assert.Equal((null, null, null, 0, null), (empty.BestMetricsJson, empty.LastLoss, empty.LastRecallAt1, empty.StepsRecorded, empty.MeanImagesPerSecond));
        SqliteConnection.ClearAllPools();
    }
}
