namespace VptSp.Core.Data.Images;

/// <summary>Per-channel mean and std (RGB) of the backbone's preprocessing; comes from the checkpoint, never a constant here.</summary>
public sealed record Normalization
{
    public Normalization(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        if (mean.Count != 3 || std.Count != 3) throw new ArgumentException("mean and std need 3 values (R, G, B)");
        if (std.Any(s => !(s > 0))) throw new ArgumentException("std values must be positive");
        Mean = mean.ToArray();
        Std = std.ToArray();
    }

    public IReadOnlyList<float> Mean { get; }
    public IReadOnlyList<float> Std { get; }
}
