using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VptSp.Core.Naming;
using VptSp.Core.Training;
using VptSp.Runs.Data;
using VptSp.Runs.Data.Entities;
using VptSp.Runs.Options;
using VptSp.Runs;

namespace VptSp.Web.Services.Experiments;

/// <summary>
/// Sweeps over the run queue, and runs with their best-epoch metrics for the group, compare, results and map views.
/// A sweep is validated whole before anything is queued: every generated config goes through the same validator as a
/// single run, and one bad combination fails the request naming it.
/// </summary>
public sealed class ExperimentService(
    IDbContextFactory<ExperimentDbContext> dbFactory,
    TrainingQueue queue,
    ProgressFeed feed,
    RunSubmissionValidator validator,
    IRunService runs,
    IOptions<StorageOptions> storage,
    ILogger<ExperimentService> logger) : IExperimentService
{
    public const int MaxRuns = 500;
    public const int MaxSeeds = 20;

    public async Task<SweepCreated> CreateSweepAsync(SweepRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var definition = request.Definition;
        List<int?> seeds = definition.Seeds is { Count: > 0 } s ? s.Distinct().Select(x => (int?)x).ToList() : [null];
        if (seeds.Count > MaxSeeds) throw new InvalidSweepException("seeds", $"seeds: more than {MaxSeeds}");
        var combinations = SweepExpansion.Expand(definition);
        var total = combinations.Count * seeds.Count;
        if (total > MaxRuns) throw new InvalidSweepException("parameters", $"the sweep would queue {total} runs, more than {MaxRuns}");
        var name = string.IsNullOrWhiteSpace(request.Name) ? SweepNames.Generate(request.Config, definition) : request.Name.Trim();
        if (NameRules.Problem(name, NameRules.MaxSweepNameChars) is { } problem)
            throw new InvalidSweepException("name", $"name: {problem}");

        // Validate every run before writing anything.
        var planned = new List<(RunSubmissionValidator.Resolved Resolved, string GroupKey)>(total);
        foreach (var combination in combinations)
        {
            foreach (var seed in seeds)
            {
                var overrides = new Dictionary<string, string>(request.Overrides ?? new Dictionary<string, string>(), StringComparer.Ordinal);
                foreach (var (k, v) in combination.Values) overrides[k] = v;
                if (seed is { } sd) overrides["seed"] = sd.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var label = combination.Label + (seed is null ? "" : $", seed={seed}");
                try
                {
                    var resolved = validator.Resolve(new RunSubmission(request.Config, overrides, request.SourcePath, $"{name} · {label}", request.Tags));
                    planned.Add((resolved, combination.Label));
                }
                catch (ConfigException ex)
                {
                    throw new InvalidSweepException("parameters", $"combination {label}: {ex.Message}", ex.Key, label);
                }
                catch (InvalidRunInputException ex)
                {
                    throw new InvalidSweepException(ex.Field, $"combination {label}: {ex.Message}", combination: label);
                }
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sweep = new SweepEntity
        {
            Name = name,
            Mode = definition.Mode,
            KeysJson = JsonSerializer.Serialize(definition.Parameters.Select(p => p.Key).ToList()),
            SpecJson = JsonSerializer.Serialize(request, SpecJson),
            CreatedAt = DateTimeOffset.UtcNow,
        };
        var entities = new List<RunEntity>(planned.Count);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.Sweeps.Add(sweep);
            await db.SaveChangesAsync(ct);
            foreach (var (resolved, groupKey) in planned)
            {
                var run = RunService.NewRun(resolved);
                run.SweepId = sweep.Id;
                run.GroupKey = groupKey;
                db.Runs.Add(run);
                entities.Add(run);
            }
            await db.SaveChangesAsync(ct);
            foreach (var run in entities)
            {
                run.RunDirectory = storage.Value.RunDirectoryOf(run.Id);
                await queue.EnqueueAsync(db, run, RunLifecycle.Queued, ct);
            }
            await tx.CommitAsync(ct);
        }
        queue.Wake();
        foreach (var run in entities) feed.Publish(new RunStateChangedEvent(run.Id, RunState.Queued, null));
        logger.LogInformation("sweep {SweepId} ({Name}) queued {Count} runs", sweep.Id, name, entities.Count);
        return new SweepCreated(sweep.Id, entities.Select(r => r.Id).ToList());
    }

    public async Task<IReadOnlyList<SweepSummary>> ListSweepsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sweeps = await db.Sweeps.AsNoTracking().OrderByDescending(s => s.Id).ToListAsync(ct);
        var statuses = await db.Runs.AsNoTracking().Where(r => r.SweepId != null)
            .Select(r => new { r.SweepId, r.Status }).ToListAsync(ct);
        var bySweep = statuses.ToLookup(x => x.SweepId!.Value, x => x.Status);
        return sweeps.Select(s => ToSummary(s, bySweep[s.Id].ToList())).ToList();
    }

    public async Task<SweepDetail> GetSweepAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sweep = await db.Sweeps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) ?? throw new SweepNotFoundException(id);
        var ids = await db.Runs.AsNoTracking().Where(r => r.SweepId == id).Select(r => r.Id).ToListAsync(ct);
        var list = await LoadAsync(db, ids, includeArchived: true, ct);
        return new SweepDetail(ToSummary(sweep, list.Select(r => r.Summary.Status).ToList()), sweep.SpecJson, list);
    }

    public async Task<int> CancelSweepAsync(long id, CancellationToken ct = default)
    {
        List<(long Id, RunState Status)> active;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var sweep = await db.Sweeps.FirstOrDefaultAsync(s => s.Id == id, ct) ?? throw new SweepNotFoundException(id);
            sweep.CancelledAt ??= DateTimeOffset.UtcNow;
            await db.SaveChangesAsync(ct);
            active = (await db.Runs.AsNoTracking().Where(r => r.SweepId == id && (r.Status == RunState.Queued || r.Status == RunState.Running))
                .OrderBy(r => r.Id).Select(r => new { r.Id, r.Status }).ToListAsync(ct)).Select(r => (r.Id, r.Status)).ToList();
        }
        var asked = 0;
        // Queued runs first, so the worker cannot pick one of them up after the running one stops.
        foreach (var (runId, _) in active.OrderBy(r => r.Status == RunState.Running ? 1 : 0))
        {
            try
            {
                await runs.CancelAsync(runId, ct);
                asked++;
            }
            catch (Exception ex) when (ex is RunStateConflictException or RunNotFoundException)
            {
                logger.LogInformation("sweep {SweepId}: run {RunId} not cancelled: {Reason}", id, runId, ex.Message);
            }
        }
        logger.LogInformation("sweep {SweepId} cancelled ({Count} runs asked to stop)", id, asked);
        return asked;
    }

    public async Task<IReadOnlyList<ExperimentRun>> ListRunsAsync(IReadOnlyCollection<long>? ids = null, bool includeArchived = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await LoadAsync(db, ids, includeArchived, ct);
    }

    private static async Task<IReadOnlyList<ExperimentRun>> LoadAsync(ExperimentDbContext db, IReadOnlyCollection<long>? ids, bool includeArchived, CancellationToken ct)
    {
        var q = db.Runs.AsNoTracking();
        if (ids is not null) q = q.Where(r => ids.Contains(r.Id));
        else if (!includeArchived) q = q.Where(r => !r.Archived);
        // run rows only: best metrics and throughput come from the summary the recorder keeps on each row (RunSummaries)
        var rows = await q.OrderByDescending(r => r.Id).ToListAsync(ct);
        return rows.Select(r => new ExperimentRun(RunService.ToSummary(r), TrainingConfigYaml.FromJson(r.ConfigJson), r.SweepId, r.GroupKey,
            RunSummaries.Metrics(r.BestMetricsJson), r.MeanImagesPerSecond, r.PeakMemoryBytes)).ToList();
    }

    private static SweepSummary ToSummary(SweepEntity s, List<RunState> statuses) => new(
        s.Id, s.Name, s.Mode, JsonSerializer.Deserialize<List<string>>(s.KeysJson) ?? [], RunStates.Name(SweepStatus.Of(statuses, s.CancelledAt is not null)),
        statuses.Count, statuses.GroupBy(RunStates.Name).ToDictionary(g => g.Key, g => g.Count()), s.CreatedAt, s.CancelledAt);

    private static readonly JsonSerializerOptions SpecJson = new(JsonSerializerDefaults.Web);
}

/// <summary>A sweep's status from its runs': running while any run is queued or running, then completed, cancelled or failed.</summary>
public static class SweepStatus
{
    public static RunState Of(IReadOnlyList<RunState> runStatuses, bool cancelled)
    {
        if (runStatuses.Any(s => s == RunState.Running)) return RunState.Running;
        if (runStatuses.Any(s => s == RunState.Queued)) return RunState.Queued;
        if (cancelled) return RunState.Cancelled;
        if (runStatuses.Count > 0 && runStatuses.All(s => s == RunState.Completed)) return RunState.Completed;
        if (runStatuses.Any(s => s == RunState.Failed)) return RunState.Failed;
        return runStatuses.Any(s => s == RunState.Cancelled) ? RunState.Cancelled : RunState.Interrupted;
    }
}
