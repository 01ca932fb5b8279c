using VptSp.Core.Diagnostics;

namespace VptSp.Web.Apis;

/// <summary>A request body of the wrong media type (e.g. JSON where multipart/form-data is expected) → 415.</summary>
public sealed class UnsupportedMediaTypeException(string field, string message) : UserFacingException(message)
{
    public string Field { get; } = field;
}

/// <summary>A file of a run that is not one of its listed files (or no longer exists) → 404.</summary>
public sealed class RunFileNotFoundException(long runId, string path) : UserFacingException($"run {runId} has no file '{path}'")
{
    public long RunId { get; } = runId;
    public string Path { get; } = path;
}
