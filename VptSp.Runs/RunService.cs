using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VptSp.Core.Training;
using VptSp.Runs.Data;
using VptSp.Runs.Data.Entities;
using VptSp.Runs.Options;
using VptSp.Runs.SystemMetrics;

namespace VptSp.Runs;

/// <summary>The experiment history and the queue, as pages and the REST API see them.</summary>
public sealed class RunService(
    IDbContextFactory<ExperimentDbContext> dbFactory,
    TrainingQueue queue,
    ProgressFeed feed,
    RunSubmissionValidator validator,
    ConfigPresets presets,
    IOptions<StorageOptions> storage,
    ITrainingEngine engine,
    ILogger<RunService> logger) : IRunService
{
    private const int LogTailLines = 50;

    public IReadOnlyList<string> Presets => presets.Names;

    public async Task<IReadOnlyList<RunSummary>> ListAsync(RunFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await Filtered(db, filter).OrderByDescending(r => r.Id).Select(ListColumns).ToListAsync(ct);
        return rows.Select(ToSummary).ToList();
    }

    public async Task<RunListPage> ListPageAsync(RunFilter filter, int limit, long? beforeId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = Filtered(db, filter);
        var total = await q.CountAsync(ct);
        if (beforeId is { } before) q = q.Where(r => r.Id < before);
        // one row more than the page tells whether another page follows
        var rows = await q.OrderByDescending(r => r.Id).Take(limit + 1).Select(ListColumns).ToListAsync(ct);
        var page = rows.Take(limit).Select(ToSummary).ToList();
        return new RunListPage(page, total, RunListPage.NextCursor(page, rows.Count, limit));
    }

    private static IQueryable<RunEntity> Filtered(ExperimentDbContext db, RunFilter filter)
    {
        var q = db.Runs.AsNoTracking();
        if (!filter.IncludeArchived) q = q.Where(r => !r.Archived);
        if (filter.Status is { } state) q = q.Where(r => r.Status == state);
        if (!string.IsNullOrWhiteSpace(filter.Dataset)) q = q.Where(r => r.Dataset == filter.Dataset);
        if (!string.IsNullOrWhiteSpace(filter.Method)) q = q.Where(r => r.Method == filter.Method);
        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            // lower() on both sides: case-insensitive on SQLite and PostgreSQL alike (LIKE is case-sensitive on PostgreSQL)
            var pattern = $"%{filter.Text.Trim().ToLowerInvariant()}%";
            q = q.Where(r => EF.Functions.Like(r.Name.ToLower(), pattern) || EF.Functions.Like(r.TagsJson.ToLower(), pattern)
                || (r.Notes != null && EF.Functions.Like(r.Notes.ToLower(), pattern)));
        }
        return q;
    }

    /// <summary>The columns a run list shows (<see cref="ToSummary"/>): no config JSON, no reproducibility record.</summary>
    private static readonly System.Linq.Expressions.Expression<Func<RunEntity, RunEntity>> ListColumns = r => new RunEntity
    {
        Id = r.Id, Name = r.Name, Status = r.Status, Dataset = r.Dataset, Method = r.Method, Backbone = r.Backbone, Preset = r.Preset,
        TotalParameters = r.TotalParameters, TrainableParameters = r.TrainableParameters, BestRecallAt1 = r.BestRecallAt1,
        BestMapAtR = r.BestMapAtR, BestEpoch = r.BestEpoch, EpochsCompleted = r.EpochsCompleted, EpochsPlanned = r.EpochsPlanned,
        CreatedAt = r.CreatedAt, StartedAt = r.StartedAt, FinishedAt = r.FinishedAt, TagsJson = r.TagsJson, Notes = r.Notes,
        Archived = r.Archived, Error = r.Error, WorkerName = r.WorkerName, WorkerDevice = r.WorkerDevice,
    };

    public async Task<RunDetail> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await FindAsync(db, id, ct, tracking: false);
        var artefacts = await db.Artefacts.AsNoTracking().Where(a => a.RunId == id).OrderBy(a => a.RelativePath).Select(a => a.RelativePath).ToListAsync(ct);
        if (artefacts.Count == 0) artefacts = RunFiles.List(run.RunDirectory).Select(f => f.Path).ToList();
        var config = TrainingConfigYaml.FromJson(run.ConfigJson);
        var repro = run.VptSpVersion is null ? null : new RunReproducibility(
            run.VptSpVersion, run.GitCommit, run.TorchSharpVersion ?? "", run.Device ?? "", run.Seed ?? config.Seed,
            run.DatasetFingerprint ?? "", run.BackboneCheckpointSha256);
        return new RunDetail(ToSummary(run), config, config.ToYaml(), run.SourcePath, run.RunDirectory, repro,
            RunFiles.Tail(Path.Combine(run.RunDirectory, RunFiles.LogFile), LogTailLines), artefacts, engine.HasCheckpoint(run.RunDirectory),
            BackboneProvenance(run.RunDirectory));
    }

    /// <summary>The backbone's provenance line the run wrote to source.json (hub repo + commit + sha256, file + sha256, random init), or null.</summary>
    private static string? BackboneProvenance(string runDirectory)
    {
        try { return new RunDirectory(runDirectory).ReadSource()?.Backbone; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException) { return null; }
    }

    public async Task<RunMetrics> GetMetricsAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await FindAsync(db, id, ct, tracking: false);
        var steps = await db.Steps.AsNoTracking().Where(s => s.RunId == id).OrderBy(s => s.Step)
            .Select(s => new StepSample(s.Step, s.Epoch, s.Loss, s.Lr, s.ImagesPerSecond)).ToListAsync(ct);
        var epochs = await db.Epochs.AsNoTracking().Where(e => e.RunId == id).OrderBy(e => e.Epoch).ToListAsync(ct);
        return new RunMetrics(steps, epochs.Select(e => new EpochSample(e.Epoch, e.Loss, RunSummaries.Metrics(e), e.DurationSeconds)).ToList());
    }

    public async Task<IReadOnlyList<SystemSample>> GetSystemSamplesAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await FindAsync(db, id, ct, tracking: false);
        var rows = await db.SystemSamples.AsNoTracking().Where(s => s.RunId == id).OrderBy(s => s.AtMs).ToListAsync(ct);
        return rows.Select(r => r.ToSample()).ToList();
    }

    public async Task<SubmitResult> SubmitAsync(RunSubmission submission, CancellationToken ct = default)
    {
        var resolved = validator.Resolve(submission);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = NewRun(resolved);
        // One transaction: the worker never sees the row before its run directory and queue place are set.
        int position;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.Runs.Add(run);
            await db.SaveChangesAsync(ct);
            run.RunDirectory = storage.Value.RunDirectoryOf(run.Id);
            position = await queue.EnqueueAsync(db, run, RunLifecycle.Queued, ct);
            await tx.CommitAsync(ct);
        }
        queue.Wake();
        feed.Publish(new RunStateChangedEvent(run.Id, RunState.Queued, null));
        logger.LogInformation("run {RunId} ({Name}) queued at position {Position}", run.Id, run.Name, position);
        return new SubmitResult(run.Id, RunState.Queued, position);
    }

    /// <summary>The row of a new queued run (no id, directory or queue place yet).</summary>
    internal static RunEntity NewRun(RunSubmissionValidator.Resolved resolved) =>
        new()
        {
            Name = resolved.Name,
            ConfigJson = resolved.Config.ToJson(),
            Preset = resolved.Preset,
            Dataset = resolved.Config.Dataset,
            Method = VptSp.Core.Runtime.EnumNames.Name(resolved.Config.Method),
            Backbone = resolved.Config.PretrainedModel,
            EpochsPlanned = resolved.Config.NEpochs,
            Seed = resolved.Config.Seed,
            CreatedAt = DateTimeOffset.UtcNow,
            TagsJson = JsonSerializer.Serialize(resolved.Tags),
            SourcePath = resolved.SourcePath,
            RequestedDevice = resolved.Device,
            AutoResume = resolved.AutoResume,
        };

    public async Task CancelAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await FindAsync(db, id, ct);
        if (!RunStates.CanCancel(run.Status))
            throw new RunStateConflictException($"run {id} is {RunStates.Name(run.Status)}; only queued or running runs can be cancelled");
        switch (run.Status)
        {
            case RunState.Queued:
                // Guarded: a worker may claim the run at this moment; then it is running and is told to stop instead.
                var now = DateTimeOffset.UtcNow;
                if (await db.Runs.Where(r => r.Id == id && r.Status == RunState.Queued)
                        .ExecuteUpdateAsync(s => RunLifecycle.Write(s, RunLifecycle.CancelledWhileQueued, now), ct) == 1)
                {
                    feed.Publish(new RunStateChangedEvent(id, RunState.Cancelled, null));
                    break;
                }
                await db.Runs.Where(r => r.Id == id && r.Status == RunState.Running)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.CancelRequested, true), ct);
                queue.TryCancelExecuting(id);
                break;
            case RunState.Running:
                // The worker executing it (this process's or another host's) sees the flag at its next heartbeat, stops after
                // its step, saves a checkpoint and records "cancelled"; a run of this process is told at once.
                run.CancelRequested = true;
                await db.SaveChangesAsync(ct);
                queue.TryCancelExecuting(id);
                break;
        }
    }

    public async Task<SubmitResult> ResumeAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await FindAsync(db, id, ct);
        var hasCheckpoint = engine.HasCheckpoint(run.RunDirectory);
        if (!RunStates.CanResume(run.Status, hasCheckpoint))
            throw new RunStateConflictException($"run {id} cannot be resumed: {RunStates.WhyNotResumable(run.Status, hasCheckpoint)}");
        var position = await queue.EnqueueAsync(db, run, RunLifecycle.Resumed, ct);
        queue.Wake();
        feed.Publish(new RunStateChangedEvent(id, RunState.Queued, null));
        return new SubmitResult(id, RunState.Queued, position);
    }

    public async Task DeleteAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await FindAsync(db, id, ct);
        if (!RunStates.CanDelete(run.Status))
            throw new RunStateConflictException($"run {id} is running; cancel it first");
        db.Runs.Remove(run);
        await db.SaveChangesAsync(ct);
        DeleteRunDirectory(run.RunDirectory);
        logger.LogInformation("run {RunId} deleted", id);
    }

    public Task SetArchivedAsync(long id, bool archived, CancellationToken ct = default) =>
        UpdateAsync(id, r => r.Archived = archived, ct);

    public Task SetTagsAsync(long id, IReadOnlyList<string> tags, CancellationToken ct = default)
    {
        var clean = RunSubmissionValidator.ValidateTags(tags);
        return UpdateAsync(id, r => r.TagsJson = JsonSerializer.Serialize(clean), ct);
    }

    public Task SetNotesAsync(long id, string? notes, CancellationToken ct = default)
    {
        if (notes is { Length: > RunSubmissionValidator.MaxNotesChars })
            throw new InvalidRunInputException("notes", $"notes: longer than {RunSubmissionValidator.MaxNotesChars} characters");
        return UpdateAsync(id, r => r.Notes = string.IsNullOrWhiteSpace(notes) ? null : notes, ct);
    }

    private async Task UpdateAsync(long id, Action<RunEntity> change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        change(await FindAsync(db, id, ct));
        await db.SaveChangesAsync(ct);
    }

    private static async Task<RunEntity> FindAsync(ExperimentDbContext db, long id, CancellationToken ct, bool tracking = true)
    {
        var q = tracking ? db.Runs : db.Runs.AsNoTracking();
        return await q.FirstOrDefaultAsync(r => r.Id == id, ct) ?? throw new RunNotFoundException(id);
    }

    /// <summary>Removes a run folder, only ever below the runs directory.</summary>
    private void DeleteRunDirectory(string runDirectory)
    {
        try
        {
            RunFiles.DeleteRunDirectory(storage.Value.RunsDirectory, runDirectory);
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "could not delete {RunDirectory}", runDirectory);
            throw;
        }
    }

    internal static RunSummary ToSummary(RunEntity r) => new(
        r.Id, r.Name, r.Status, r.Dataset, r.Method, r.Backbone, r.Preset, r.TotalParameters, r.TrainableParameters,
        r.BestRecallAt1, r.BestMapAtR, r.BestEpoch, r.EpochsCompleted, r.EpochsPlanned, r.CreatedAt, r.StartedAt, r.FinishedAt,
        JsonSerializer.Deserialize<List<string>>(r.TagsJson) ?? [], r.Notes, r.Archived, r.Error, RunDevices.WorkerLabel(r.WorkerName, r.WorkerDevice));
}
