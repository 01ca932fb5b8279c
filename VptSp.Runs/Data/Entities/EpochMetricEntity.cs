namespace VptSp.Runs.Data.Entities;

/// <summary>One finished epoch: mean loss and its metrics as a JSON object (keys as in metrics.jsonl).</summary>
public sealed class EpochMetricEntity
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public int Epoch { get; set; }
    public double Loss { get; set; }
    public string MetricsJson { get; set; } = "{}";
    public double DurationSeconds { get; set; }
    public bool IsBest { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
