using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using VptSp.Runs;
using VptSp.Web.Services.Experiments;

namespace VptSp.Web.Apis;

/// <summary>/api/sweeps (queue, list, inspect, cancel), /api/groups (group rows with mean ± std) and /api/results (the paper table and its exports).</summary>
public static class ExperimentsApi
{
    public static IEndpointRouteBuilder MapExperimentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Experiments");
        api.ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized);

        var sweeps = api.MapGroup("/sweeps").ProducesProblem(StatusCodes.Status404NotFound);
        sweeps.MapPost("/", CreateAsync).WithName("CreateSweep")
            .WithMetadata(new RequestSizeLimitAttribute(RunsApi.MaxBodyBytes))
            .WithSummary("Queue a grid or random sweep over config keys × seeds; every combination is validated before any run is queued");
        sweeps.MapGet("/", ListAsync).WithName("ListSweeps");
        sweeps.MapGet("/{id:long}", GetAsync).WithName("GetSweep").WithSummary("A sweep, its spec, its runs and its groups (one per combination)");
        sweeps.MapPost("/{id:long}/cancel", CancelAsync).WithName("CancelSweep").WithSummary("Cancel every queued or running run of the sweep");

        api.MapGet("/groups", GroupsAsync).WithName("ListGroups")
            .WithSummary("Runs grouped by=none|sweep|tag|key:<config key>[,…] with mean, sample std and n of best-epoch metrics over completed runs");
        api.MapGet("/results", ResultsAsync).WithName("GetResultsTable")
            .WithSummary("The paper-ready results table of the selected runs or groups: format=json|markdown|latex|csv");
        api.MapGet("/runs/{id:long}/embedding-map", EmbeddingMapAsync).WithName("GetRunEmbeddingMap")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("A completed run's gallery embeddings projected to 2-D by PCA (at most max points, an even subsample beyond)");
        return app;
    }

    public const int DefaultMapPoints = 2000;
    public const int MaxMapPoints = 10_000;

    private static async Task<Results<Ok<EmbeddingMapResponse>, ProblemHttpResult>> EmbeddingMapAsync(
        long id, int? max, VptSp.Web.Services.Retrieval.RetrievalService retrieval, CancellationToken ct)
    {
        var limit = max ?? DefaultMapPoints;
        if (limit is < 2 or > MaxMapPoints)
            return TypedResults.Problem(title: "Invalid request", detail: $"max: must be between 2 and {MaxMapPoints}", statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["field"] = "max" });
        var map = await retrieval.MapAsync(id, limit, ct);
        return TypedResults.Ok(new EmbeddingMapResponse(id, map.Dataset, map.Split, map.GalleryCount, [map.ExplainedFirst, map.ExplainedSecond],
            map.ClassNames, map.Points.Select(p => new EmbeddingMapPointResponse(p.Index, p.X, p.Y, p.Label)).ToList()));
    }

    private static async Task<Results<Accepted<SweepCreatedResponse>, ProblemHttpResult>> CreateAsync(
        CreateSweepRequest? body, IExperimentService service, CancellationToken ct)
    {
        if (body is null)
            return TypedResults.Problem(title: "Invalid request", detail: "a JSON body {\"config\": …, \"parameters\": …} is required", statusCode: StatusCodes.Status400BadRequest);
        var created = await service.CreateSweepAsync(SweepRequestMapping.ToRequest(body), ct);
        return TypedResults.Accepted($"/api/sweeps/{created.Id}", new SweepCreatedResponse(created.Id, created.RunIds.Count, created.RunIds));
    }

    private static async Task<Ok<List<SweepResponse>>> ListAsync(IExperimentService service, CancellationToken ct) =>
        TypedResults.Ok((await service.ListSweepsAsync(ct)).Select(SweepResponse.From).ToList());

    private static async Task<Ok<SweepDetailResponse>> GetAsync(long id, IExperimentService service, CancellationToken ct)
    {
        var d = await service.GetSweepAsync(id, ct);
        var groups = RunGrouping.Group(d.Runs, RunGrouping.Sweep).Select(GroupResponse.From).ToList();
        using var spec = JsonDocument.Parse(d.SpecJson);
        return TypedResults.Ok(new SweepDetailResponse(SweepResponse.From(d.Summary), spec.RootElement.Clone(), groups,
            d.Runs.Select(r => RunResponse.From(r.Summary)).ToList()));
    }

    private static async Task<Accepted<SweepCancelledResponse>> CancelAsync(long id, IExperimentService service, CancellationToken ct)
    {
        var asked = await service.CancelSweepAsync(id, ct);
        return TypedResults.Accepted($"/api/sweeps/{id}", new SweepCancelledResponse(id, asked));
    }

    private static async Task<Ok<List<GroupResponse>>> GroupsAsync(IExperimentService service, string? by, string? ids, long? sweep, bool? archived, CancellationToken ct)
    {
        var runs = await SelectAsync(service, ids, sweep, archived, ct);
        return TypedResults.Ok(RunGrouping.Group(runs, by).Select(GroupResponse.From).ToList());
    }

    private static async Task<IResult> ResultsAsync(IExperimentService service, string? by, string? ids, long? sweep, bool? archived, string? format, CancellationToken ct)
    {
        var runs = await SelectAsync(service, ids, sweep, archived, ct);
        var table = ResultsTable.Build(RunGrouping.Group(runs, by));
        if (string.IsNullOrWhiteSpace(format) || format.Equals("json", StringComparison.OrdinalIgnoreCase))
            return TypedResults.Ok(ResultsResponse.From(table));
        var text = ResultsExport.Write(table, format);
        var extension = format.ToLowerInvariant() switch { "latex" or "tex" => "tex", "csv" => "csv", _ => "md" };
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(text), ResultsExport.ContentType(format), $"results.{extension}");
    }

    /// <summary>The runs of <paramref name="ids"/> ("3,4,5"), else of <paramref name="sweep"/>, else every (non-archived) run.</summary>
    private static async Task<IReadOnlyList<ExperimentRun>> SelectAsync(IExperimentService service, string? ids, long? sweep, bool? archived, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(ids))
        {
            var parsed = new List<long>();
            foreach (var part in ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                parsed.Add(long.TryParse(part.TrimStart('#'), out var id) && id > 0 ? id : throw new ArgumentException($"ids: '{part}' is not a run id"));
            return await service.ListRunsAsync(parsed.Distinct().ToList(), archived ?? true, ct);
        }
        if (sweep is { } s) return (await service.GetSweepAsync(s, ct)).Runs;
        return await service.ListRunsAsync(null, archived ?? false, ct);
    }
}

