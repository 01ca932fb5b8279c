using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VptSp.Core.Training;
using VptSp.Runs.Data;
using VptSp.Runs.Data.Entities;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Web.Functional;

/// <summary>The run state is an enum in code and the same lower-case strings in the database as before (no migration).</summary>
public sealed class RunStateStorageTests : IAsyncLifetime
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private VptSpWebFactory _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new VptSpWebFactory(_dataDir, new ScriptedTrainingEngine());
        _ = _factory.CreateClient(); // starts the host: the database is migrated
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
    }

    [Fact]
    public void EveryStateHasTheStoredNameOfBeforeAndParsesBack()
    {
        Assert.Equal(["queued", "running", "completed", "failed", "cancelled", "interrupted"], RunStates.All.Select(RunStates.Name));
        foreach (var state in RunStates.All) Assert.Equal(state, RunStates.Parse(RunStates.Name(state)));
        Assert.Equal(RunState.Failed, RunStates.Parse("FAILED"));
        Assert.Contains("'paused' is not a run state", Assert.Throws<FormatException>(() => RunStates.Parse("paused")).Message);
    }

    [Fact]
    public async Task StatesAreStoredAsLowerCaseNamesAndRowsWrittenAsStringsReadBack()
    {
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<ExperimentDbContext>>().CreateDbContextAsync();
        db.Runs.Add(new RunEntity { Name = "a", Status = RunState.Interrupted, ConfigJson = "{}", CreatedAt = DateTimeOffset.UtcNow, RunDirectory = "x" });
        await db.SaveChangesAsync();
        var stored = await db.Database.SqlQueryRaw<string>("SELECT Status AS Value FROM Runs").ToListAsync();
        Assert.Equal(["interrupted"], stored);

        // a row as an older version wrote it
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO Runs (Name, Status, ConfigJson, CreatedAt, RunDirectory, Preset, Dataset, Method, Backbone, TagsJson, EpochsCompleted, EpochsPlanned, TotalParameters, TrainableParameters, Archived, ResumeRequested, QueueOrder) " +
            "VALUES ('b', 'completed', '{{}}', '2026-01-01 00:00:00+00:00', 'y', '', '', '', '', '[]', 0, 0, 0, 0, 0, 0, 0)");
        Assert.Equal(RunState.Completed, (await db.Runs.AsNoTracking().SingleAsync(r => r.Name == "b")).Status);
        Assert.Equal(1, await db.Runs.CountAsync(r => r.Status == RunState.Completed));
    }
}
