using Microsoft.AspNetCore.Http.HttpResults;
using VptSp.Core.Export;
using VptSp.Core.Training;
using VptSp.Runs;

namespace VptSp.Web.Apis;

/// <summary>GET /api/runs/{id}/export/onnx: a completed run's embedding model as one ONNX file (docs/export.md).</summary>
public static class RunExportEndpoint
{
    public static async Task<FileStreamHttpResult> OnnxAsync(long id, bool? fp16, IRunService service, CancellationToken ct)
    {
        var detail = await service.GetAsync(id, ct);
        if (detail.Summary.Status != RunState.Completed)
            throw new RunStateConflictException($"run {id} is {RunStates.Name(detail.Summary.Status)}; only completed runs export a model");
        var name = Path.GetFileName(detail.RunDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tmp = Path.Combine(Path.GetTempPath(), $"vptsp-export-{id}-{Guid.NewGuid():N}.onnx");
        // synchronous TorchSharp work (dispose scopes are per thread): one pool thread, no await inside
        await Task.Run(() => OnnxExporter.ExportRun(detail.RunDirectory, tmp, fp16 ?? false, name), ct);
        var stream = new FileStream(tmp, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        return TypedResults.File(stream, "application/octet-stream", $"{name}{(fp16 == true ? ".fp16" : "")}.onnx");
    }
}
