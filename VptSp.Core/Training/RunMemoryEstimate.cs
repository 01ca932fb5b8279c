using VptSp.Core.Modeling;
using VptSp.Core.Training.Optimization;

namespace VptSp.Core.Training;

/// <summary>
/// A run's memory in bytes, term by term (fp32, 4 bytes a value), from its config and backbone spec — pure arithmetic,
/// checked against a worker's memory before a run is queued. Terms: the ViT's parameters; gradients and optimiser state
/// of what trains (all of it for <c>full_fine_tune</c>, else prompts, adapters and the metric head); activations kept for
/// the backward pass at <c>batch_size</c>; the image cache (<c>image_cache_mb</c>); evaluation (one block's activations at
/// <c>eval_batch_size</c> plus the test split's embeddings).
/// </summary>
public sealed record RunMemoryEstimate(long Parameters, long Training, long Activations, long ImageCache, long Evaluation)
{
    private const long BytesPerValue = 4;
    private const long Mb = 1024 * 1024;

    public long Total => Parameters + Training + Activations + ImageCache + Evaluation;

    public long TotalMb => (Total + Mb - 1) / Mb;

    /// <summary>The config key that most moves the largest term (what to lower).</summary>
    public string DominantKey =>
        new[] { (Activations, "batch_size"), (ImageCache, "image_cache_mb"), (Evaluation, "eval_batch_size"), (Training, "embed_dim"), (Parameters, "pretrained_model") }
            .MaxBy(t => t.Item1).Item2;

    /// <param name="evalImages">Images in the evaluated split (0 when unknown).</param>
    public static RunMemoryEstimate For(TrainingConfig c, VitSpec spec, long evalImages = 0)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(spec);
        long d = spec.EmbedDim;
        var vit = VitParameters(spec);
        var head = d * c.EmbedDim + c.EmbedDim;
        var prompts = c.VitPrompt ? (long)c.NumPrompt * Math.Min(c.PromptDepth, spec.Depth) * d : 0;
        var adapters = c.Adapter ? (long)Math.Min(c.AdapterNumBlocks, spec.Depth) * (2 * d * c.AdapterBottleneckDim + c.AdapterBottleneckDim + d) : 0;
        var trained = c.FullFineTune ? vit + head : head + prompts + adapters;
        var states = c.Optim == OptimizerKind.Sgd ? 1 : 2; // momentum; Adam's two moments
        var tokens = Tokens(spec) + (c.VitPrompt ? c.NumPrompt : 0);
        var perBlock = BlockActivations(spec, tokens);
        return new RunMemoryEstimate(
            Parameters: BytesPerValue * (vit + head + prompts + adapters),
            Training: BytesPerValue * trained * (1 + states),
            Activations: BytesPerValue * c.BatchSize * perBlock * spec.Depth,
            ImageCache: c.ImageCacheMb * Mb,
            Evaluation: BytesPerValue * (c.EvalBatchSize * perBlock + evalImages * c.EmbedDim));
    }

    /// <summary>Tokens of one image: the patches plus the class token.</summary>
    public static long Tokens(VitSpec spec) => (long)spec.GridSize * spec.GridSize + 1;

    /// <summary>
    /// Values one block keeps per image for the backward pass with T tokens, width D, hidden H = D·mlp_ratio, h heads:
    /// input, LayerNorm 1, q/k/v (3), attention output, projection, LayerNorm 2, fc2 output: 9·T·D; fc1 and GELU: 2·T·H;
    /// attention scores and probabilities: 2·h·T².
    /// </summary>
    public static long BlockActivations(VitSpec spec, long tokens)
    {
        long d = spec.EmbedDim;
        var hidden = (long)(d * spec.MlpRatio);
        return 9 * tokens * d + 2 * tokens * hidden + 2L * spec.NumHeads * tokens * tokens;
    }

    /// <summary>
    /// timm's ViT parameters: patch embedding (3·p²·D + D), class token D, position embedding (T·D), per block two LayerNorms
    /// (4D), qkv (3D² + 3D), projection (D² + D), fc1 (D·H + H), fc2 (H·D + D); the final LayerNorm (2D).
    /// </summary>
    public static long VitParameters(VitSpec spec)
    {
        long d = spec.EmbedDim;
        long p = spec.PatchSize;
        var hidden = (long)(d * spec.MlpRatio);
        var block = 4 * d + 3 * d * d + 3 * d + d * d + d + d * hidden + hidden + hidden * d + d;
        return 3 * p * p * d + d + d + Tokens(spec) * d + spec.Depth * block + 2 * d;
    }
}
