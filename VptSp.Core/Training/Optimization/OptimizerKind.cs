using System.Text.Json.Serialization;

namespace VptSp.Core.Training.Optimization;

/// <summary>The optimiser (<c>optim</c>) of the model's parameters and of the class-prompt bank.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OptimizerKind>))]
public enum OptimizerKind
{
    [JsonStringEnumMemberName("sgd")] Sgd,
    [JsonStringEnumMemberName("adamw")] AdamW,
    [JsonStringEnumMemberName("adam")] Adam,
}
