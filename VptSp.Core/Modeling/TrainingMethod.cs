using System.Text.Json.Serialization;

namespace VptSp.Core.Modeling;

/// <summary>Which parameters a run trains (the paper's baselines and VPTSP-G); stored by its spelling ("vptsp_g" …).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrainingMethod>))]
public enum TrainingMethod
{
    /// <summary>Every backbone weight + metric head.</summary>
    [JsonStringEnumMemberName("full")] Full,
    /// <summary>Metric head (fc_norm + head) only.</summary>
    [JsonStringEnumMemberName("linear")] Linear,
    /// <summary>Shared deep prompts + metric head.</summary>
    [JsonStringEnumMemberName("vpt")] Vpt,
    /// <summary>Backbone biases + metric head.</summary>
    [JsonStringEnumMemberName("bitfit")] BitFit,
    /// <summary>AdaptFormer adapters + metric head.</summary>
    [JsonStringEnumMemberName("adapter")] Adapter,
    /// <summary>Shared prompts + metric head + BitFit (optional) + proxy net (class prompts, p_fc_norm/p_head, GRU) + proxy bias.</summary>
    [JsonStringEnumMemberName("vptsp_g")] VptspG,
}
