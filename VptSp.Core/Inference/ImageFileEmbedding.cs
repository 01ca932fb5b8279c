using VptSp.Core.Data.Images;
using VptSp.Core.Modeling;
using static TorchSharp.torch;

namespace VptSp.Core.Inference;

/// <summary>Embeds image files (not a dataset split): the eval transform, or only normalisation for images already at the input size.</summary>
public static class ImageFileEmbedding
{
    /// <summary>Every image file among <paramref name="inputs"/> (files, or folders searched recursively), sorted within each folder.</summary>
    public static IReadOnlyList<string> Collect(IEnumerable<string> inputs)
    {
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (File.Exists(input)) files.Add(Path.GetFullPath(input));
            else if (Directory.Exists(input))
                files.AddRange(Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
                    .Where(SafeImageLoader.HasImageExtension).Select(Path.GetFullPath).Order(StringComparer.Ordinal));
            else throw new FileNotFoundException($"no such image or folder: {input}", input);
        }
        return files;
    }

    /// <summary>L2-normalised embeddings, one row per path (N×E float32, CPU).</summary>
    /// <param name="resize">false: images must already be S×S; they are only scaled to [0,1] and normalised.</param>
    public static Tensor Embed(IImageEmbedder embedder, IReadOnlyList<string> paths, bool resize = true, int batchSize = 64,
        SafeImageLoader? loader = null) =>
        EmbeddingExtractor.EmbedBatches(embedder, Batches(embedder.Preprocessing, paths, resize, batchSize, loader ?? SafeImageLoader.Shared),
            CancellationToken.None);

    /// <summary>The files as [n, 3, S, S] CPU batches, each disposed when the next one is asked for.</summary>
    private static IEnumerable<Tensor> Batches(Preprocessing p, IReadOnlyList<string> paths, bool resize, int batchSize, SafeImageLoader loader)
    {
        var size = p.ImgSize;
        var norm = new Normalization(p.Mean, p.Std);
        var transform = EmbeddingExtractor.EvalTransformFor(p);
        for (var start = 0; start < paths.Count; start += batchSize)
        {
            var n = Math.Min(batchSize, paths.Count - start);
            var pixels = new float[n * 3 * size * size];
            for (var i = 0; i < n; i++)
            {
                var image = loader.LoadRgb(paths[start + i]);
                var dest = pixels.AsSpan(i * 3 * size * size, 3 * size * size);
                if (resize) transform.Apply(image, Random.Shared, dest);
                else if (image.Width != size || image.Height != size)
                    throw new ArgumentException($"{paths[start + i]} is {image.Width}×{image.Height}, not the model's {size}×{size} (drop --no-resize)");
                else ImageOps.WriteNormalised(image, norm, flip: false, dest);
            }
            using var batch = tensor(pixels, new long[] { n, 3, size, size });
            yield return batch;
        }
    }
}
