using VptSp.Core.Modeling;

namespace VptSp.Core.Training;

/// <summary>
/// The one table that decides which parameters train for every combination of the reference's flags (<c>full_fine_tune</c>,
/// <c>vit_head</c>, <c>vit_prompt</c>, <c>vit_bitfit</c>, <c>adapter</c>, <c>vit_proxy_net</c>), as the reference's
/// <c>peft_vit.Network.__init__</c> composes them: each flag adds its group; the combinations the reference cannot run as
/// written are refused with a <see cref="ConfigException"/> naming the keys. The optimiser groups need no table: the
/// reference's three model groups share lr and decay, so one group is the same update.
/// </summary>
public static class TrainableGroupTable
{
    private sealed record Refusal(string Key, Func<TrainingConfig, bool> When, Func<TrainingConfig, string> Message);

    private static readonly Refusal[] Refusals =
    [
        new("vit_proxy_net", c => c.VitProxyNet && !c.VitPrompt,
            _ => "needs vit_prompt: true (the reference creates the class prompts only with vit_prompt; without it its proxy net fails)"),
        new("adapter", c => c.Adapter && c.FullFineTune,
            _ => "cannot be combined with full_fine_tune (the reference collects every backbone weight, then replaces the adapted blocks: their copies freeze while the rest of the backbone trains)"),
        new("vit_bitfit", c => c.VitBitfit && c.FullFineTune,
            _ => "cannot be combined with full_fine_tune (the reference lists every bias twice in the model group and steps it twice per step)"),
        new("vit_bitfit", c => c.VitBitfit && c.Adapter,
            _ => "cannot be combined with adapter (the reference lists the adapters' biases twice in the model group and steps them twice per step)"),
        new("embed_dim", c => !c.VitHead && c.EmbedDim != Width(c),
            c => $"must equal the backbone's width {Width(c)} with vit_head: false (the embedding is then the pooled, normed feature)"),
        new("adapter_attention", c => c.Adapter && c.AdapterAttention == AdapterAttention.Reference && Width(c) % AdapterOptions.ReferenceHeads != 0,
            c => $"reference needs a backbone width divisible by {AdapterOptions.ReferenceHeads} (the reference's adapter block has {AdapterOptions.ReferenceHeads} heads; width {Width(c)}): use backbone"),
    ];

    /// <summary>The trainable groups of <paramref name="c"/>, or a <see cref="ConfigException"/> for a combination the reference cannot run.</summary>
    public static TrainableGroups Resolve(TrainingConfig c)
    {
        foreach (var r in Refusals)
            if (r.When(c)) throw new ConfigException(r.Key, r.Message(c));
        return new TrainableGroups(Backbone: c.FullFineTune, Head: c.VitHead, SharedPrompts: c.VitPrompt, Biases: c.VitBitfit,
            Adapter: c.Adapter, ProxyNet: c.VitProxyNet);
    }

    /// <summary>The groups of a model stored before the groups were (a manifest with a method only): what that method trained then.</summary>
    public static TrainableGroups ForMethod(TrainingMethod method, bool vitBitfit) => new(
        Backbone: method == TrainingMethod.Full, Head: true,
        SharedPrompts: method is TrainingMethod.Vpt or TrainingMethod.VptspG,
        Biases: method == TrainingMethod.BitFit || (method == TrainingMethod.VptspG && vitBitfit),
        Adapter: method == TrainingMethod.Adapter, ProxyNet: method == TrainingMethod.VptspG);

    /// <summary>One line for people: the groups that train, or why the combination is refused.</summary>
    public static string Describe(TrainingConfig c)
    {
        try
        {
            return string.Join(", ", Resolve(c).Names);
        }
        catch (ConfigException e)
        {
            return $"refused: {e.Message}";
        }
    }

    private static int Width(TrainingConfig c)
    {
        try
        {
            return VitPresets.Get(c.PretrainedModel).EmbedDim;
        }
        catch (ArgumentException e)
        {
            throw new ConfigException("pretrained_model", e.Message);
        }
    }
}
