namespace VptSp.Core.Modeling;

/// <summary>
/// Which parameter groups of a <see cref="MetricModel"/> train (besides the proxy bias, which always trains in its own
/// optimiser). Made from a config only by <c>TrainableGroupTable.Resolve</c>, the one table of flag combinations.
/// </summary>
/// <param name="Backbone">Every backbone weight (<c>full_fine_tune</c>).</param>
/// <param name="Head">Metric head: fc_norm + head (<c>vit_head</c>); without it the embedding is the pooled, normed feature.</param>
/// <param name="SharedPrompts">Shared deep prompts (<c>vit_prompt</c>).</param>
/// <param name="Biases">Every backbone bias (<c>vit_bitfit</c>).</param>
/// <param name="Adapter">AdaptFormer adapters (<c>adapter</c>).</param>
/// <param name="ProxyNet">Class prompts, p_fc_norm + p_head (with the head), semantic GRU (<c>vit_proxy_net</c>).</param>
public sealed record TrainableGroups(bool Backbone, bool Head, bool SharedPrompts, bool Biases, bool Adapter, bool ProxyNet)
{
    /// <summary>The groups by name, in the reference's order of construction, the proxy bias last.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            var names = new List<string>();
            if (Backbone) names.Add("backbone (full)");
            if (Head) names.Add("head (fc_norm + head)");
            if (Adapter) names.Add("adapters");
            if (ProxyNet) names.Add(Head ? "proxy net (class prompts, p_fc_norm + p_head, GRU)" : "proxy net (class prompts, GRU)");
            if (Biases) names.Add("biases (BitFit)");
            if (SharedPrompts) names.Add("shared prompts");
            names.Add("proxy bias (lr_proxy)");
            return names;
        }
    }

    /// <summary>The run's label: the most inclusive method whose group is on (full, adapter, vptsp_g, vpt, bitfit, linear).</summary>
    public TrainingMethod Method =>
        Backbone ? TrainingMethod.Full
        : Adapter ? TrainingMethod.Adapter
        : ProxyNet ? TrainingMethod.VptspG
        : SharedPrompts ? TrainingMethod.Vpt
        : Biases ? TrainingMethod.BitFit
        : TrainingMethod.Linear;
}
