namespace VptSp.Runs.Data.Entities;

/// <summary>A sweep: a grid or random search over config keys (× seeds) whose runs were queued together.</summary>
public sealed class SweepEntity
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>The request as submitted (JSON): base config, swept parameters, mode, budget, seeds.</summary>
    public string SpecJson { get; set; } = "{}";
    /// <summary>"grid" or "random".</summary>
    public string Mode { get; set; } = "grid";
    /// <summary>The swept keys as a JSON array, in the order given.</summary>
    public string KeysJson { get; set; } = "[]";
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Set when the sweep was cancelled as a whole.</summary>
    public DateTimeOffset? CancelledAt { get; set; }
    public List<RunEntity> Runs { get; set; } = [];
}
