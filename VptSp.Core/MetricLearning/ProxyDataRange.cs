using System.Text.Json.Serialization;

namespace VptSp.Core.MetricLearning;

/// <summary>Which proxies the proxy loss sees (<c>proxy_data_range</c>): the batch's classes or all C.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProxyDataRange>))]
public enum ProxyDataRange
{
    [JsonStringEnumMemberName("in_batch")] InBatch,
    [JsonStringEnumMemberName("both_all")] BothAll,
}
