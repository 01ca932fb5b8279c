using System.Text.Json;
using VptSp.Core.Modeling;
using VptSp.Core.Training.Optimization;

namespace VptSp.Core.Inference.Retrieval;

/// <summary>
/// Runs that can share one pooled <see cref="MetricModel"/>: the same frozen backbone (checkpoint SHA-256; the seed of a
/// random backbone; nothing for <c>full</c>, whose artefact carries every backbone weight) and the same embedding
/// structure and forward options (method, preset, prompts, head size, pooling, adapters, precision). Options that only
/// shape training (classes, proxy net, optimiser, dropout) are normalised away.
/// </summary>
public sealed record PooledModelKey(string Backbone, string Structure)
{
    public static PooledModelKey For(RunArtefact artefact)
    {
        var o = artefact.Options;
        var backbone = o.Method == TrainingMethod.Full ? $"full:{o.Backbone}"
            : artefact.Manifest.CheckpointSha256 is { } sha ? $"sha256:{sha}"
            : $"random:{o.Backbone}:seed{o.Seed}";
        return new PooledModelKey(backbone, JsonSerializer.Serialize(StructuralOptions(o)));
    }

    /// <summary>The options a pooled model is built with (checkpoint set by the caller).</summary>
    public static ModelOptions StructuralOptions(ModelOptions o) => o with
    {
        Checkpoint = null,
        NumClasses = 1,
        NumPPrompt = 1,
        PPromptDepth = 1,
        PromptPBlockStep = 0,
        SemanticMixType = SemanticMixType.Mix,
        ProxyMixKeepRatio = 0.8,
        RnnDropout = 0,
        ProxyBiasRatio = 0.1,
        FeatureDropout = 0,
        Optim = OptimizerKind.AdamW,
        Decay = 0,
        Seed = o.Method == TrainingMethod.Full || o.Checkpoint is not null ? 0 : o.Seed,
    };
}
