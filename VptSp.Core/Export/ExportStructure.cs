using VptSp.Core.Modeling;
using VptSp.Core.Runtime;

namespace VptSp.Core.Export;

/// <summary>What of a model's configuration shapes its inference graph (read from the model).</summary>
internal sealed record ExportStructure(
    VitSpec Spec,
    int EmbedDim,
    string Method,
    IReadOnlyList<int> PromptsPerBlock,
    bool AveragePooling,
    bool ParallelAdapter,
    AdapterLnPosition AdapterLn,
    double AdapterScale,
    bool Head,
    AdapterAttention AdapterAttention)
{
    public static ExportStructure Of(MetricModel model)
    {
        var o = model.Options;
        var adapter = o.Adapter;
        return new ExportStructure(model.Spec, o.EmbedDim, o.Method.Name(), model.SharedPromptsPerBlock.ToList(),
            o.GlobalPooling == GlobalPooling.Avg, adapter.Option == AdapterPlacement.Parallel, adapter.LnPosition, adapter.Scalar,
            o.Trainable.Head, adapter.Attention);
    }
}
