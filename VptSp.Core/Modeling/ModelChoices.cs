using System.Text.Json.Serialization;

namespace VptSp.Core.Modeling;

/// <summary>How a class's semantic features update its proxy (<c>semantic_mix_type</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SemanticMixType>))]
public enum SemanticMixType
{
    [JsonStringEnumMemberName("gru")] Gru,
    [JsonStringEnumMemberName("gru_relu")] GruRelu,
    [JsonStringEnumMemberName("mix")] Mix,
}

/// <summary>The pooled feature (<c>vit_global_pooling</c>): the class token or the mean of the patch tokens.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GlobalPooling>))]
public enum GlobalPooling
{
    [JsonStringEnumMemberName("token")] Token,
    [JsonStringEnumMemberName("avg")] Avg,
}

/// <summary>Adapter placement (<c>adapter_option</c>): beside the MLP or after it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AdapterPlacement>))]
public enum AdapterPlacement
{
    [JsonStringEnumMemberName("parallel")] Parallel,
    [JsonStringEnumMemberName("sequential")] Sequential,
}

/// <summary>Where the adapter's LayerNorm sits (<c>adapter_ln_position</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AdapterLnPosition>))]
public enum AdapterLnPosition
{
    [JsonStringEnumMemberName("pre")] Pre,
    [JsonStringEnumMemberName("post")] Post,
    [JsonStringEnumMemberName("none")] None,
}

/// <summary>Adapter initialisation (<c>adapter_init_option</c>): up projection zero (lora) or normal 0.02 (bert).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AdapterInit>))]
public enum AdapterInit
{
    [JsonStringEnumMemberName("lora")] Lora,
    [JsonStringEnumMemberName("bert")] Bert,
}

/// <summary>
/// Attention of an adapted block (<c>adapter_attention</c>): the reference's <c>AdaptBlock</c> always builds 12 heads without a
/// qkv bias (the pretrained one is dropped) and LayerNorm eps 1e-5 (reference, the paper's baseline); backbone keeps the
/// backbone's heads, qkv bias and eps. Backbone is 0 so artefacts written before the key existed read as what they trained.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<AdapterAttention>))]
public enum AdapterAttention
{
    [JsonStringEnumMemberName("backbone")] Backbone,
    [JsonStringEnumMemberName("reference")] Reference,
}
