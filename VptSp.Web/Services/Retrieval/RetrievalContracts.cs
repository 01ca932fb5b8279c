using VptSp.Core.Diagnostics;
using VptSp.Core.Inference.Retrieval;

namespace VptSp.Web.Services.Retrieval;

/// <summary>A search over one run's gallery, with the run it came from and its wall time (queueing included).</summary>
public sealed record RunSearchResult(long RunId, int K, double ElapsedMs, SearchResult Search);

/// <summary>A gallery index that the run's gallery does not have.</summary>
public sealed class GalleryImageNotFoundException(long runId, int index, int count)
    : UserFacingException($"run {runId}'s gallery has {count} images; there is no image {index}")
{
    public long RunId { get; } = runId;
    public int Index { get; } = index;
}

/// <summary>Too many searches are computing and this one waited too long for a slot.</summary>
public sealed class SearchBusyException(string message) : UserFacingException(message);
