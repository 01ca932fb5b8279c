using TorchSharp.Modules;
using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Core.Modeling;

/// <summary>
/// timm-layout Vision Transformer (class token, optional register tokens, absolute position embedding, optional pre-norm,
/// pre-norm blocks with optional LayerScale, final norm, optional head). State-dict keys are timm's: <c>cls_token, reg_token,
/// pos_embed, patch_embed.proj.*, norm_pre.*, blocks.N.{norm1,attn.qkv,attn.proj,ls1.gamma,norm2,mlp.fc1,mlp.fc2,ls2.gamma}.*,
/// norm.*, head.*</c> (the optional ones only where the <see cref="VitSpec"/> has the feature).
/// </summary>
public sealed class VisionTransformer : CastableModule
{
#pragma warning disable IDE1006 // state-dict names
    private Parameter cls_token;
    private Parameter? reg_token;
    private Parameter pos_embed;
    private readonly PatchEmbed patch_embed;
    private readonly Norm? norm_pre;
    private readonly ModuleList<Block> blocks;
    private readonly Norm norm;
    private readonly Dense? head;
#pragma warning restore IDE1006

    /// <param name="spec">Architecture (its NumClasses > 0 adds a classifier <c>head</c>).</param>
    /// <param name="adapter">When set, AdaptFormer adapters go into the last <c>adapter.NumBlocks</c> blocks.</param>
    public VisionTransformer(VitSpec spec, AdapterOptions? adapter = null) : base("vit")
    {
        NativeAllocator.EnsureConfigured();   // opt-in (VPTSP_MALLOC_TUNING=1); every model host builds a ViT first
        Spec = spec.Validate();
        var d = spec.EmbedDim;
        patch_embed = new PatchEmbed("patch_embed", spec.PatchSize, d, bias: spec.PatchBias);
        cls_token = new Parameter(zeros(1, 1, d));
        reg_token = spec.RegTokens > 0 ? new Parameter(zeros(1, spec.RegTokens, d)) : null;
        pos_embed = new Parameter(zeros(1, spec.PosEmbedTokens, d));
        norm_pre = spec.PreNorm ? new Norm("norm_pre", d, spec.NormEps) : null;
        var firstAdapted = adapter is null ? int.MaxValue : spec.Depth - Math.Clamp(adapter.NumBlocks, 0, spec.Depth);
        blocks = new ModuleList<Block>(Enumerable.Range(0, spec.Depth)
            .Select(i => new Block($"{i}", spec, i >= firstAdapted ? adapter : null))
            .ToArray());
        norm = new Norm("norm", d, spec.NormEps);
        head = spec.NumClasses > 0 ? new Dense("head", d, spec.NumClasses) : null;
        RegisterComponents();
        Init.TruncNormal(pos_embed, 0.02);
        Init.Normal(cls_token, 0, 1e-6);
        if (reg_token is not null) Init.Normal(reg_token, 0, 1e-6);
        // built inside a caller's dispose scope, the weights must still outlive it
        foreach (var p in parameters()) p.DetachFromDisposeScope();
    }

    public VitSpec Spec { get; }

    public int Depth => Spec.Depth;

    public int EmbedDim => Spec.EmbedDim;

    /// <summary>dtype of the residual stream (the dtype of the position embedding): fp32 unless every frozen parameter was cast.</summary>
    public ScalarType ComputeType => pos_embed.dtype;

    public bool HasHead => head is not null;

    /// <summary>Block <paramref name="index"/>.</summary>
    public Block BlockAt(int index) => blocks[index];

    /// <summary>
    /// Patch embedding, class token and registers in front (B×N×D, N = 1 + registers + patches), position embedding (added before
    /// the prefix tokens join when <see cref="VitSpec.NoEmbedClass"/>), then the pre-norm where the spec has it; in
    /// <see cref="ComputeType"/>.
    /// </summary>
    public Tensor EmbedTokens(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = patch_embed.call(images);
        var dt = ComputeType;
        if (x.dtype != dt) x = x.to(dt);
        var b = x.shape[0];
        var prefix = new List<Tensor> { cls_token.to(dt).expand(b, -1, -1) };
        if (reg_token is not null) prefix.Add(reg_token.to(dt).expand(b, -1, -1));
        var pos = pos_embed.to(dt);
        x = Spec.NoEmbedClass
            ? cat(prefix.Append(x.Plus(pos)).ToArray(), 1)
            : cat(prefix.Append(x).ToArray(), 1).Plus(pos);
        if (norm_pre is not null) x = norm_pre.call(x);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Runs block <paramref name="index"/> with <paramref name="prompts"/> (B×n×D, or 1×n×D shared) prepended, then drops the prompt
    /// outputs. With <paramref name="usedTokensOnly"/> the prompt outputs are not computed at all (the prompts still give keys and
    /// values), and <paramref name="classTokenOnly"/> keeps only the class token (B×1×D).
    /// </summary>
    public Tensor ForwardBlock(int index, Tensor x, Tensor? prompts, bool usedTokensOnly = false, bool classTokenOnly = false)
    {
        using var scope = NewDisposeScope();
        var blk = blocks[index];
        var p = PromptsFor(x, prompts);
        var n = p?.shape[1] ?? 0;
        var input = p is null ? x : cat(new[] { p, x }, 1);
        var count = classTokenOnly ? 1 : x.shape[1];
        var y = usedTokensOnly || classTokenOnly ? blk.ForwardTokens(input, n, count) : blk.call(input).narrow(1, n, count);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// All blocks (block i gets <paramref name="promptsForBlock"/>(i) prepended, or none when null) and the final norm: B×N×D.
    /// With <paramref name="usedTokensOnly"/> (for inference) only what the class-token embedding reads is computed, with the same
    /// result: prompt tokens give keys and values but no outputs of their own in every block, the last block computes the class
    /// token alone, and the result is that token (B×1×D, equal to <c>[:, :1]</c> of the full result) — 11 % of the multiply-adds of a
    /// ViT-S/16 forward with 10 deep prompts saved. Not for training: an adapter's dropout masks would differ in shape.
    /// </summary>
    public Tensor ForwardFeatures(Tensor images, Func<int, Tensor?>? promptsForBlock = null, bool usedTokensOnly = false)
    {
        using var scope = NewDisposeScope();
        var x = EmbedTokens(images);
        for (var i = 0; i < blocks.Count; i++)
            x = ForwardBlock(i, x, promptsForBlock?.Invoke(i), usedTokensOnly, classTokenOnly: usedTokensOnly && i == blocks.Count - 1);
        return norm.call(x).MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="prompts"/> in the stream's type and batch size, or null when there are none.</summary>
    private static Tensor? PromptsFor(Tensor x, Tensor? prompts)
    {
        if (prompts is null || prompts.shape[1] == 0) return null;
        if (prompts.shape[2] != x.shape[2])
            throw new ArgumentException($"prompt width {prompts.shape[2]} differs from token width {x.shape[2]}");
        var p = prompts.to(x.dtype);
        return p.shape[0] == x.shape[0] ? p : p.expand(x.shape[0], -1, -1);
    }

    /// <summary>Class-token feature after the final norm, then the classifier head when present.</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var cls = ForwardFeatures(images).select(1, 0);
        var y = head is null ? cls : head.call(cls);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>Classifier logits of pooled features (throws when the model has no head).</summary>
    public Tensor ForwardHead(Tensor pooled) =>
        head?.call(pooled) ?? throw new InvalidOperationException($"ViT '{Spec.Name}' has no classifier head");

    public override void CastFrozen(ScalarType dtype)
    {
        cls_token = CastIfFrozen("cls_token", cls_token, dtype);
        if (reg_token is not null) reg_token = CastIfFrozen("reg_token", reg_token, dtype);
        pos_embed = CastIfFrozen("pos_embed", pos_embed, dtype);
    }

    /// <summary>
    /// Stores the frozen weights of the matrix products (linear layers, patch convolution) in <paramref name="half"/>, the type
    /// autocast casts them to anyway; norms, class token and position embedding stay fp32 (the mixed-precision scheme).
    /// </summary>
    public void StoreFrozenMatmulWeights(ScalarType half)
    {
        foreach (var (_, m) in named_modules())
            if (m is Dense or PatchProjection) ((CastableModule)m).CastFrozen(half);
    }

    /// <summary>Casts every frozen parameter of the backbone, norms and embeddings included (the whole-backbone low-precision scheme).</summary>
    public void CastFrozenParameters(ScalarType dtype) => CastFrozenTree(this, dtype);

    /// <summary>Parameter count of a timm ViT of <paramref name="spec"/> computed from shapes alone (no head when NumClasses is 0).</summary>
    public static long CountParameters(VitSpec spec)
    {
        long d = spec.EmbedDim, h = spec.MlpHidden, p = spec.PatchSize;
        var block = 2 * (2 * d) + (d * 3 * d + 3 * d) + (d * d + d) + (d * h + h) + (h * d + d) + (spec.LayerScaleInit is null ? 0 : 2 * d);
        var patch = d * 3 * p * p + (spec.PatchBias ? d : 0);
        var total = patch + (1 + spec.RegTokens) * d + spec.PosEmbedTokens * d + (spec.PreNorm ? 2 * d : 0) + spec.Depth * block + 2 * d;
        if (spec.NumClasses > 0) total += d * spec.NumClasses + spec.NumClasses;
        return total;
    }
}
