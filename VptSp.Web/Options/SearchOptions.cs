using System.ComponentModel.DataAnnotations;

namespace VptSp.Web.Options;

/// <summary>Section "Search": image search over completed runs (upload limits, k bounds, memory bounds).</summary>
public sealed class SearchOptions
{
    public const string Section = "Search";

    /// <summary>Largest POST /api/search request (multipart body, image included).</summary>
    [Range(1024, 256L * 1024 * 1024)] public long MaxRequestBytes { get; set; } = 10L * 1024 * 1024;

    [Range(1, 1000)] public int MaxK { get; set; } = 100;

    [Range(1, 1000)] public int DefaultK { get; set; } = 10;

    /// <summary>Pooled models (frozen backbones) kept in memory.</summary>
    [Range(1, 64)] public int MaxBackbones { get; set; } = 2;

    /// <summary>Runs (artefact + gallery embeddings + index) kept in memory.</summary>
    [Range(1, 256)] public int MaxGalleries { get; set; } = 4;

    /// <summary>Galleries larger than this get an HNSW index (built in the background).</summary>
    [Range(1, int.MaxValue)] public int HnswThreshold { get; set; } = 100_000;

    /// <summary>Searches computing at once (more wait): bounds the memory and CPU searches take from training.</summary>
    [Range(1, 64)] public int MaxConcurrentSearches { get; set; } = 2;

    /// <summary>What embeds uploaded queries: "onnx" (the run's ONNX export in ONNX Runtime; measured faster, README) or "torch".</summary>
    public VptSp.Core.Inference.Retrieval.QueryEngine Engine { get; set; } = VptSp.Core.Inference.Retrieval.QueryEngine.Onnx;

    /// <summary>How long a request waits for a search slot before 503.</summary>
    [Range(1, 3600)] public int QueueTimeoutSeconds { get; set; } = 120;
}
