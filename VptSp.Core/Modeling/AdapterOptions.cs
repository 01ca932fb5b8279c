namespace VptSp.Core.Modeling;

/// <summary>AdaptFormer settings (the seed's <c>adapter_*</c> keys).</summary>
/// <param name="Option">"parallel" (adapter beside the MLP) or "sequential" (after it).</param>
/// <param name="NumBlocks">Adapters go into the last <c>NumBlocks</c> blocks.</param>
/// <param name="BottleneckDim">Hidden width of the down/up projection.</param>
/// <param name="Scalar">Scale of the adapter output.</param>
/// <param name="LnPosition">"pre", "post" or "none": where the adapter's LayerNorm sits.</param>
/// <param name="InitOption">"lora" (up projection zero) or "bert" (normal 0.02).</param>
/// <param name="Dropout">Dropout inside the bottleneck (the seed uses <c>feature_dropout</c>).</param>
public sealed record AdapterOptions(
    string Option = "parallel",
    int NumBlocks = 12,
    int BottleneckDim = 64,
    double Scalar = 1.0,
    string LnPosition = "post",
    string InitOption = "lora",
    double Dropout = 0.0)
{
    public AdapterOptions Validate()
    {
        if (Option is not ("parallel" or "sequential"))
            throw new ArgumentException($"adapter_option must be 'parallel' or 'sequential' (got '{Option}')");
        if (LnPosition is not ("pre" or "post" or "none"))
            throw new ArgumentException($"adapter_ln_position must be 'pre', 'post' or 'none' (got '{LnPosition}')");
        if (InitOption is not ("lora" or "bert"))
            throw new ArgumentException($"adapter_init_option must be 'lora' or 'bert' (got '{InitOption}')");
        if (BottleneckDim <= 0) throw new ArgumentException($"adapter_bottleneck_dim must be positive (got {BottleneckDim})");
        return this;
    }
}
