namespace VptSp.Core.Data.Loading;

/// <summary>Batch shape, seeding and parallelism of <see cref="TrainLoader"/> and <see cref="EvalLoader"/>.</summary>
public sealed record LoaderOptions
{
    public int BatchSize { get; init; } = 64;

    /// <summary>k of the random_class sampler (train only): images per class in a batch.</summary>
    public int SamplesPerClass { get; init; } = 4;

    /// <summary>Base seed: epoch e samples with seed + e; augmentation draws are derived from (seed, epoch, batch, position).</summary>
    public int Seed { get; init; }

    /// <summary>Images decoded/augmented in parallel ahead of the consumer (results do not depend on it); 0 makes each batch in the consumer's thread when it is asked for, without prefetching.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Finished batches waiting in the queue ahead of the consumer.</summary>
    public int Prefetch { get; init; } = 2;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(SamplesPerClass, 1, nameof(SamplesPerClass));
        ArgumentOutOfRangeException.ThrowIfLessThan(Workers, 0, nameof(Workers));
        ArgumentOutOfRangeException.ThrowIfLessThan(Prefetch, 1, nameof(Prefetch));
    }
}
