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
    double CropPct = 0.9)
{
    /// <summary>Patches per side.</summary>
    public int GridSize => ImgSize / PatchSize;

    /// <summary>Tokens including the class token.</summary>
    public int NumTokens => GridSize * GridSize + 1;

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
        if (Mean.Length != 3 || Std.Length != 3) throw new ArgumentException($"ViT '{Name}': Mean and Std need 3 channels");
        return this;
    }
}
