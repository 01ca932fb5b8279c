using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using VptSp.Core.Training;
using VptSp.Runs;
using VptSp.Runs.SystemMetrics;

namespace VptSp.Web.Apis;

/// <summary>/api/runs: queue, inspect, cancel, resume and delete runs; /api/runs.csv exports the table.</summary>
public static class RunsApi
{
    public const long MaxBodyBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Runs");
        api.ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized);
        var runs = api.MapGroup("/runs").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        runs.MapPost("/", SubmitAsync).WithName("SubmitRun")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .WithSummary("Queue a run from a preset name or YAML text with optional overrides");
        runs.MapGet("/", ListAsync).WithName("ListRuns")
            .WithSummary("Runs, newest first, one page at a time")
            .WithDescription($"limit: runs per page (default {RunListPage.DefaultLimit}, at most {RunListPage.MaxLimit}); cursor: the " +
                $"{NextCursorHeader} header of the previous page (absent on the last page). The filter's run count is in {TotalCountHeader}; " +
                "a Link header (rel=\"next\") names the next page.");
        runs.MapGet("/{id:long}", GetAsync).WithName("GetRun");
        runs.MapGet("/{id:long}/metrics", GetMetricsAsync).WithName("GetRunMetrics");
        runs.MapGet("/{id:long}/system", GetSystemAsync).WithName("GetRunSystemMetrics")
            .WithSummary("The run's system samples: process CPU % (of all cores), RSS bytes and, where NVML reports one, its GPU (null = not measured)");
        runs.MapPost("/{id:long}/cancel", CancelAsync).WithName("CancelRun");
        runs.MapPost("/{id:long}/resume", ResumeAsync).WithName("ResumeRun");
        runs.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteRun");
        runs.MapGet("/{id:long}/artefacts/{**path}", DownloadArtefactAsync).WithName("DownloadRunFile")
            .WithSummary("Download one file of a run (config, metrics, artefacts, checkpoint), by its listed relative path");
        runs.MapGet("/{id:long}/export/onnx", RunExportEndpoint.OnnxAsync).WithName("ExportRunOnnx")
            .WithSummary("Download a completed run's embedding model as ONNX (opset 17; ?fp16=true for float16 weights)");
        api.MapGet("/runs.csv", ExportCsvAsync).WithName("ExportRunsCsv");
        return app;
    }

    private static async Task<Accepted<SubmitResponse>> SubmitAsync(
        CreateRunRequest? body, IRunService service, CancellationToken ct)
    {
        if (body is null) throw new InvalidRunInputException("config", "a JSON body {\"config\": …} is required");
        var submission = new RunSubmission(body.Config ?? "", OverrideValues.ToText(body.Overrides), body.SourcePath, body.Name, body.Tags, body.Device, body.AutoResume);
        var result = await service.SubmitAsync(submission, ct);
        return TypedResults.Accepted($"/api/runs/{result.Id}", new SubmitResponse(result.Id, RunStates.Name(result.Status), result.Position));
    }

    public const string TotalCountHeader = "X-Total-Count";
    public const string NextCursorHeader = "X-Next-Cursor";

    private static async Task<Ok<List<RunResponse>>> ListAsync(
        HttpContext http, IRunService service, string? status, string? dataset, string? method, string? text, bool? archived,
        int? limit, long? cursor, CancellationToken ct)
    {
        var size = limit ?? RunListPage.DefaultLimit;
        if (size is < 1 or > RunListPage.MaxLimit)
            throw new InvalidRunInputException("limit", $"limit: must be between 1 and {RunListPage.MaxLimit}");
        if (cursor is <= 0) throw new InvalidRunInputException("cursor", "cursor: must be the X-Next-Cursor of a previous page");
        RunState? state = null;
        if (status is not null)
            state = RunStates.TryParse(status, out var s)
                ? s
                : throw new InvalidRunInputException("status", $"status: '{status}' is not one of {string.Join(", ", RunStates.All.Select(RunStates.Name))}");
        var page = await service.ListPageAsync(new RunFilter(state, dataset, method, text, archived ?? false), size, cursor, ct);
        http.Response.Headers[TotalCountHeader] = page.Total.ToString(CultureInfo.InvariantCulture);
        if (page.NextBeforeId is { } next)
        {
            var nextCursor = next.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers[NextCursorHeader] = nextCursor;
            var query = QueryHelpers.ParseQuery(http.Request.QueryString.Value);
            query["cursor"] = nextCursor;
            http.Response.Headers.Link = $"<{http.Request.PathBase}{http.Request.Path}{new QueryBuilder(query)}>; rel=\"next\"";
        }
        return TypedResults.Ok(page.Runs.Select(RunResponse.From).ToList());
    }

    /// <summary>Serves a file only if it is one of the run's listed files: no client path reaches the file system otherwise.</summary>
    private static async Task<PhysicalFileHttpResult> DownloadArtefactAsync(
        long id, string path, IRunService service, CancellationToken ct)
    {
        var detail = await service.GetAsync(id, ct);
        var listed = detail.Artefacts.FirstOrDefault(a => string.Equals(a, path, StringComparison.Ordinal));
        var full = listed is null ? null : Path.GetFullPath(Path.Combine(detail.RunDirectory, listed));
        if (full is null || !full.StartsWith(Path.GetFullPath(detail.RunDirectory) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
            throw new RunFileNotFoundException(id, path);
        return TypedResults.PhysicalFile(full, "application/octet-stream", Path.GetFileName(full));
    }

    private static async Task<Ok<RunDetailResponse>> GetAsync(long id, IRunService service, CancellationToken ct)
    {
        var d = await service.GetAsync(id, ct);
        var config = (JsonObject)JsonNode.Parse(d.Config.ToJson())!;
        return TypedResults.Ok(new RunDetailResponse(RunResponse.From(d.Summary), d.Summary.Id, RunStates.Name(d.Summary.Status), d.Summary.Error,
            config, d.ConfigYaml, d.SourcePath, d.Reproducibility, d.Artefacts, d.LogTail, d.Actions));
    }

    private static async Task<Ok<MetricsResponse>> GetMetricsAsync(long id, IRunService service, CancellationToken ct)
    {
        var m = await service.GetMetricsAsync(id, ct);
        var epochs = m.Epochs.Select(e =>
        {
            var o = new JsonObject { ["epoch"] = e.Epoch, ["loss"] = e.Loss, ["durationSeconds"] = e.DurationSeconds };
            foreach (var (k, v) in e.Metrics) o[k] = v;
            return o;
        }).ToList();
        return TypedResults.Ok(new MetricsResponse(m.Steps.Select(s => new StepResponse(s.Step, s.Epoch, s.Loss, s.Lr, s.ImagesPerSecond)).ToList(), epochs));
    }

    private static async Task<Ok<IReadOnlyList<SystemSample>>> GetSystemAsync(long id, IRunService service, CancellationToken ct) =>
        TypedResults.Ok(await service.GetSystemSamplesAsync(id, ct));

    private static async Task<Accepted<RunStatusResponse>> CancelAsync(long id, IRunService service, CancellationToken ct)
    {
        await service.CancelAsync(id, ct);
        var status = (await service.GetAsync(id, ct)).Summary.Status;
        return TypedResults.Accepted($"/api/runs/{id}", new RunStatusResponse(id, RunStates.Name(status)));
    }

    private static async Task<Accepted<SubmitResponse>> ResumeAsync(long id, IRunService service, CancellationToken ct)
    {
        var result = await service.ResumeAsync(id, ct);
        return TypedResults.Accepted($"/api/runs/{id}", new SubmitResponse(result.Id, RunStates.Name(result.Status), result.Position));
    }

    private static async Task<NoContent> DeleteAsync(long id, IRunService service, CancellationToken ct)
    {
        await service.DeleteAsync(id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<FileContentHttpResult> ExportCsvAsync(IRunService service, bool? archived, CancellationToken ct)
    {
        var runs = await service.ListAsync(new RunFilter(IncludeArchived: archived ?? true), ct);
        return TypedResults.File(RunsCsv.Write(runs), "text/csv; charset=utf-8", "runs.csv");
    }
}
