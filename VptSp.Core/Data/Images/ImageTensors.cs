using static TorchSharp.torch;

namespace VptSp.Core.Data.Images;

/// <summary>Single images to model input, for inference and the web search endpoint (batches come from the loaders).</summary>
public static class ImageTensors
{
    /// <summary>float32 [1, 3, S, S] of <paramref name="image"/> through <paramref name="transform"/> (use an <see cref="EvalTransform"/>).</summary>
    public static Tensor ToBatch(RgbImage image, IImageTransform transform, int seed = 0)
    {
        var s = transform.Size;
        var data = new float[3 * s * s];
        transform.Apply(image, ItemRandom.ForItem(seed), data);
        return tensor(data, new long[] { 1, 3, s, s });
    }

    /// <summary>Decodes untrusted bytes safely (<see cref="SafeImageLoader.Shared"/>) and transforms them: float32 [1, 3, S, S].</summary>
    public static Tensor FromBytes(byte[] data, IImageTransform transform, string source = "upload") =>
        ToBatch(SafeImageLoader.Shared.LoadRgb(data, source), transform);
}
