using System.Text.Json.Serialization;

namespace VptSp.Core.Training;

/// <summary>The training objective (<c>loss</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LossKind>))]
public enum LossKind
{
    /// <summary>Proxy-Anchor with semantic proxies.</summary>
    [JsonStringEnumMemberName("dml_proxy_peft")] DmlProxyPeft,
    /// <summary>Proxy-Anchor with plain proxies.</summary>
    [JsonStringEnumMemberName("dml_proxy")] DmlProxy,
    /// <summary>Normalised softmax over all proxies (VptSp: pre-training).</summary>
    [JsonStringEnumMemberName("cross_entropy")] CrossEntropy,
}

/// <summary>The learning-rate schedule (<c>scheduler</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SchedulerKind>))]
public enum SchedulerKind
{
    [JsonStringEnumMemberName("cosine")] Cosine,
    [JsonStringEnumMemberName("step")] Step,
    [JsonStringEnumMemberName("multi")] Multi,
    [JsonStringEnumMemberName("linear")] Linear,
    [JsonStringEnumMemberName("none")] None,
}

/// <summary>The batch sampler (<c>data_sampler</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DataSampler>))]
public enum DataSampler
{
    [JsonStringEnumMemberName("random_class")] RandomClass,
    [JsonStringEnumMemberName("class_random")] ClassRandom,
}

/// <summary>The train augmentation (<c>augmentation</c>); big, adv, v2 and auto parse but are rejected by validation.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AugmentationKind>))]
public enum AugmentationKind
{
    [JsonStringEnumMemberName("base")] Base,
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("big")] Big,
    [JsonStringEnumMemberName("adv")] Adv,
    [JsonStringEnumMemberName("v2")] V2,
    [JsonStringEnumMemberName("auto")] Auto,
}

/// <summary>The proxy net's head (<c>proxy_net_head</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProxyNetHead>))]
public enum ProxyNetHead
{
    [JsonStringEnumMemberName("isolated")] Isolated,
    [JsonStringEnumMemberName("shared")] Shared,
}

/// <summary>
/// bfloat16 mixed precision (<c>bf16</c>): off, on, or auto — on only where a bf16 matrix product is clearly faster than an
/// fp32 one on the device at hand (<see cref="Runtime.TorchRuntime.ProbeBf16"/>, measured once per process): CPUs without
/// native bf16 (AVX2 only) emulate it many times slower than fp32.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Bf16Mode>))]
public enum Bf16Mode
{
    [JsonStringEnumMemberName("false")] Off,
    [JsonStringEnumMemberName("true")] On,
    [JsonStringEnumMemberName("auto")] Auto,
}
