using static TorchSharp.torch;

namespace VptSp.Core.Data.Loading;

/// <summary>
/// One batch: <see cref="Images"/> float32 [B, 3, S, S] (contiguous NCHW, normalised), <see cref="Labels"/>
/// int64 [B], and the samples' indices into the split. The tensors are created on the consuming thread
/// (so they join its dispose scope, if any); dispose the batch when done with it.
/// </summary>
public sealed class ImageBatch : IDisposable
{
    internal ImageBatch(Tensor images, Tensor labels, int[] indices)
    {
        Images = images;
        Labels = labels;
        Indices = indices;
    }

    public Tensor Images { get; }
    public Tensor Labels { get; }
    public int[] Indices { get; }
    public int Count => Indices.Length;

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
