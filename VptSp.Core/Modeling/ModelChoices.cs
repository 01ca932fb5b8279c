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
