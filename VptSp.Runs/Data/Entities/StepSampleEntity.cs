using VptSp.Core.Training;

namespace VptSp.Runs.Data.Entities;

/// <summary>One recorded optimisation step (long runs are thinned, see <see cref="Services.Runs.StepThinning"/>).</summary>
public sealed class StepSampleEntity
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public int Step { get; set; }
    public int Epoch { get; set; }
    public double Loss { get; set; }
    public double Lr { get; set; }
    public double ImagesPerSecond { get; set; }

    /// <summary>The row of one step (the recorder's and the reconciler's one mapping).</summary>
    public static StepSampleEntity From(long runId, StepProgress p) => new()
    {
        RunId = runId, Step = p.Step, Epoch = p.Epoch, Loss = p.Loss, Lr = p.LearningRate, ImagesPerSecond = p.ImagesPerSecond,
    };
}
