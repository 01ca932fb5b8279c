using VptSp.Core.Modeling;

namespace VptSp.Core.Export;

/// <summary>What of a model's configuration shapes its inference graph (read from the model, compared as text so enums and strings both do).</summary>
internal sealed record ExportStructure(
    VitSpec Spec,
    int EmbedDim,
    string Method,
    IReadOnlyList<int> PromptsPerBlock,
    bool AveragePooling,
    bool ParallelAdapter,
    string AdapterLn,
    double AdapterScale)
{
    public static ExportStructure Of(MetricModel model)
    {
        var o = model.Options;
        var adapter = o.Adapter;
        return new ExportStructure(model.Spec, o.EmbedDim, Text(o.Method), model.SharedPromptsPerBlock.ToList(),
            Text(o.GlobalPooling) == "avg", Text(adapter.Option) == "parallel", Text(adapter.LnPosition), adapter.Scalar);
    }

    /// <summary>An option's value as lower-case text, whether it is a string or an enum ("VptspG" and "vptsp_g" both give "vptsp_g").</summary>
    internal static string Text(object value)
    {
        var s = (value.ToString() ?? "").ToLowerInvariant();
        return s == "vptspg" ? "vptsp_g" : s;
    }
}
