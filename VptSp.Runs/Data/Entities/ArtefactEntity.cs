namespace VptSp.Runs.Data.Entities;

/// <summary>A file a run left in its run directory (path relative to it).</summary>
public sealed class ArtefactEntity
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public string RelativePath { get; set; } = "";
    public long SizeBytes { get; set; }
}
