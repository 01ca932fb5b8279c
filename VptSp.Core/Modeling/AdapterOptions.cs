namespace VptSp.Core.Modeling;

/// <summary>AdaptFormer settings (the seed's <c>adapter_*</c> keys); built by <c>ModelFactory</c> from the config.</summary>
/// <param name="Option">Adapter beside the MLP (parallel) or after it (sequential).</param>
/// <param name="NumBlocks">Adapters go into the last <c>NumBlocks</c> blocks.</param>
/// <param name="BottleneckDim">Hidden width of the down/up projection.</param>
/// <param name="Scalar">Scale of the adapter output.</param>
/// <param name="LnPosition">Where the adapter's LayerNorm sits.</param>
/// <param name="InitOption">Up projection zero (lora) or normal 0.02 (bert).</param>
/// <param name="Dropout">Dropout inside the bottleneck (the seed uses <c>feature_dropout</c>).</param>
/// <param name="Attention">The adapted blocks' attention: the reference's (12 heads, no qkv bias, eps 1e-5) or the backbone's.</param>
public sealed record AdapterOptions(
    AdapterPlacement Option,
    int NumBlocks,
    int BottleneckDim,
    double Scalar,
    AdapterLnPosition LnPosition,
    AdapterInit InitOption,
    double Dropout,
    AdapterAttention Attention = AdapterAttention.Backbone)
{
    /// <summary>Heads of the reference's <c>AdaptBlock</c> attention, whatever the backbone has.</summary>
    public const int ReferenceHeads = 12;

    /// <summary>LayerNorm eps of the reference's <c>AdaptBlock</c> (torch's default).</summary>
    public const double ReferenceEps = 1e-5;
}
