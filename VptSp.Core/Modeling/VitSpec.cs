namespace VptSp.Core.Modeling;

/// <summary>Architecture and pretrained input configuration of a Vision Transformer backbone.</summary>
/// <param name="Name">Preset name (as asked, e.g. an alias).</param>
/// <param name="ImgSize">Square input side in pixels.</param>
/// <param name="PatchSize">Patch side in pixels.</param>
/// <param name="EmbedDim">Token width D.</param>
/// <param name="Depth">Number of transformer blocks.</param>
/// <param name="NumHeads">Attention heads per block.</param>
/// <param name="MlpRatio">MLP hidden width / D.</param>
/// <param name="Mean">Per-channel normalisation mean of the pretrained weights.</param>
/// <param name="Std">Per-channel normalisation std of the pretrained weights.</param>
/// <param name="Interpolation">Resize interpolation of the pretrained config ("bicubic", "bilinear").</param>
/// <param name="NumClasses">Classifier outputs; 0 = no <c>head</c>.</param>
/// <param name="CropPct">Centre-crop fraction of the pretrained eval transform.</param>
/// <param name="NormEps">LayerNorm epsilon of every backbone norm (timm's ViTs 1e-6, CLIP towers 1e-5).</param>
/// <param name="LayerScaleInit">LayerScale (<c>ls1</c>/<c>ls2</c> <c>gamma</c>) initial value; null = no LayerScale (DINOv2: 1e-5).</param>
/// <param name="RegTokens">Register tokens (<c>reg_token</c>) after the class token (DINOv2 "reg4": 4).</param>
/// <param name="NoEmbedClass">Position embedding on the patches only, class and register tokens prepended after it (timm <c>no_embed_class</c>).</param>
/// <param name="PreNorm">A LayerNorm (<c>norm_pre</c>) after the position embedding and no patch-projection bias (CLIP towers).</param>
/// <param name="Activation">MLP activation (exact GELU, or CLIP's QuickGELU).</param>
public sealed record VitSpec(
    string Name,
    int ImgSize,
    int PatchSize,
    int EmbedDim,
    int Depth,
    int NumHeads,
    double MlpRatio,
    float[] Mean,
    float[] Std,
    string Interpolation = "bicubic",
    int NumClasses = 0,
    double CropPct = 0.9,
    double NormEps = 1e-6,
    double? LayerScaleInit = null,
    int RegTokens = 0,
    bool NoEmbedClass = false,
    bool PreNorm = false,
    MlpActivation Activation = MlpActivation.Gelu)
{
    /// <summary>Patches per side.</summary>
    public int GridSize => ImgSize / PatchSize;

    /// <summary>Tokens before the patches: the class token and the registers.</summary>
    public int PrefixTokens => 1 + RegTokens;

    /// <summary>Tokens of the stream: class token, registers and patches.</summary>
    public int NumTokens => GridSize * GridSize + PrefixTokens;

    /// <summary>Rows of <c>pos_embed</c>: the patches, plus the prefix tokens unless <see cref="NoEmbedClass"/>.</summary>
    public int PosEmbedTokens => GridSize * GridSize + (NoEmbedClass ? 0 : PrefixTokens);

    /// <summary>Whether <c>patch_embed.proj</c> has a bias (timm drops it with the pre-norm).</summary>
    public bool PatchBias => !PreNorm;

    public int MlpHidden => (int)(EmbedDim * MlpRatio);

    public int HeadDim => EmbedDim / NumHeads;

    /// <summary>Checks the geometry is consistent; throws ArgumentException naming the bad field.</summary>
    public VitSpec Validate()
    {
        if (ImgSize <= 0 || PatchSize <= 0 || ImgSize % PatchSize != 0)
            throw new ArgumentException($"ViT '{Name}': ImgSize {ImgSize} must be a positive multiple of PatchSize {PatchSize}");
        if (EmbedDim <= 0 || NumHeads <= 0 || EmbedDim % NumHeads != 0)
            throw new ArgumentException($"ViT '{Name}': EmbedDim {EmbedDim} must be divisible by NumHeads {NumHeads}");
        if (Depth <= 0) throw new ArgumentException($"ViT '{Name}': Depth must be positive (got {Depth})");
        if (RegTokens < 0) throw new ArgumentException($"ViT '{Name}': RegTokens must not be negative (got {RegTokens})");
        if (NormEps <= 0) throw new ArgumentException($"ViT '{Name}': NormEps must be positive (got {NormEps})");
        if (Mean.Length != 3 || Std.Length != 3) throw new ArgumentException($"ViT '{Name}': Mean and Std need 3 channels");
        return this;
    }
}

/// <summary>Activation inside the transformer MLP.</summary>
public enum MlpActivation
{
    /// <summary>Exact (erf) GELU, timm's default.</summary>
    Gelu,

    /// <summary>x·σ(1.702·x), OpenAI CLIP's activation (timm <c>act_layer='quick_gelu'</c>).</summary>
    QuickGelu,
}
