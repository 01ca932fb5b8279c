using VptSp.Core.Data.Images;
using static TorchSharp.torch;

namespace VptSp.Core.Data.Emoji;

/// <summary>
/// The raw-pixel baseline every demo result is shown beside: each image (alpha composited onto white)
/// is area-downsampled to side × side RGB, scaled to [0,1], flattened (HWC) and L2-normalised. Score the
/// rows with the Evaluation metrics (cosine k-NN) exactly like learned embeddings. DEMO-FINDINGS:
/// 8×8 is the strongest (R@1 ≈ 29–32 on the emoji test split), 64×64 ≈ 19–21.
/// </summary>
public static class RawPixelBaseline
{
    /// <summary>The sides the demo reports.</summary>
    public static IReadOnlyList<int> StandardSides { get; } = [8, 64];

    /// <summary>One L2-normalised row of side·side·3 values per sample, in split order.</summary>
    public static float[,] Embed(DatasetSplit split, int side, SafeImageLoader? loader = null) =>
        Embed(split.Samples.Select(s => s.Path).ToList(), side, loader);

    public static float[,] Embed(IReadOnlyList<string> paths, int side, SafeImageLoader? loader = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 1);
        loader ??= SafeImageLoader.Shared;
        var d = side * side * 3;
        var result = new float[paths.Count, d];
        Parallel.For(0, paths.Count, i =>
        {
            var v = AreaResize.ToUnitFloats(loader.LoadRgb(paths[i]), side, side);
            var norm = MathF.Sqrt(v.Sum(x => x * x));
            var scale = norm > 0 ? 1f / norm : 0f;
            for (var j = 0; j < d; j++) result[i, j] = v[j] * scale;
        });
        return result;
    }

    /// <summary>The same embeddings as a float32 tensor [N, side·side·3].</summary>
    public static Tensor EmbedTensor(DatasetSplit split, int side, SafeImageLoader? loader = null)
    {
        var rows = Embed(split, side, loader);
        return tensor(rows);
    }
}
