using static TorchSharp.torch;

namespace VptSp.Core.Modeling.Checkpoints;

/// <summary>
/// Bicubic (antialiased, as timm's resample_abs_pos_embed) resampling of a ViT absolute position embedding to another patch grid
/// (the prefix rows — class and register tokens — kept as they are; none when the embedding covers the patches only).
/// </summary>
public static class PosEmbedResampler
{
    /// <summary>1×(prefix+g²)×D → 1×(prefix+newGrid²)×D.</summary>
    public static Tensor Resample(Tensor posEmbed, int newGrid, int prefixTokens = 1)
    {
        if (posEmbed.dim() != 3 || posEmbed.shape[0] != 1)
            throw new ArgumentException($"pos_embed must be 1×N×D (got [{string.Join(", ", posEmbed.shape)}])");
        var n = posEmbed.shape[1] - prefixTokens;
        var oldGrid = (long)Math.Round(Math.Sqrt(n));
        if (oldGrid * oldGrid != n)
            throw new ArgumentException($"pos_embed has {n} patch positions, not a square grid");
        if (oldGrid == newGrid) return posEmbed.clone();
        using var scope = NewDisposeScope();
        var d = posEmbed.shape[2];
        var prefix = posEmbed.narrow(1, 0, prefixTokens);
        var grid = posEmbed.narrow(1, prefixTokens, n).to(ScalarType.Float32)
            .reshape(1, oldGrid, oldGrid, d).permute(0, 3, 1, 2);
        var resized = nn.functional.interpolate(grid, new long[] { newGrid, newGrid },
            mode: InterpolationMode.Bicubic, align_corners: false, antialias: true);
        var back = resized.permute(0, 2, 3, 1).reshape(1, (long)newGrid * newGrid, d).to(posEmbed.dtype);
        return cat(new[] { prefix, back }, 1).MoveToOuterDisposeScope();
    }
}
