using VptSp.Core.Training.Optimization;

namespace VptSp.Core.Modeling;

/// <summary>
/// Everything needed to build a <see cref="MetricModel"/>. Property names follow the seed configuration keys
/// (<c>num_prompt</c> → <see cref="NumPrompt"/> …) with the same meanings. Every member is required: the values, and their
/// defaults, come from a <c>TrainingConfig</c> through <c>ModelFactory.Options</c> (or from a stored artefact manifest),
/// which is also where they are validated.
/// </summary>
public sealed record ModelOptions
{
    public required TrainingMethod Method { get; init; }
    /// <summary>Backbone preset (<see cref="VitPresets"/>), the seed's <c>pretrained_model</c>.</summary>
    public required string Backbone { get; init; }
    /// <summary>timm checkpoint (.safetensors/.pth/.bin); null = random backbone (tests, demo from scratch).</summary>
    public required string? Checkpoint { get; init; }
    /// <summary>Output size E of the metric head (<c>embed_dim</c>).</summary>
    public required int EmbedDim { get; init; }
    /// <summary>Number of training classes C (<c>n_classes</c>).</summary>
    public required int NumClasses { get; init; }

    public required int NumPrompt { get; init; }
    public required int PromptDepth { get; init; }
    public required int PromptBlockStep { get; init; }
    public required int NumPPrompt { get; init; }
    public required int PPromptDepth { get; init; }
    public required int PromptPBlockStep { get; init; }

    /// <summary>The config's <c>vit_bitfit</c> (what trains is <see cref="Trainable"/>).</summary>
    public required bool VitBitfit { get; init; }
    public required SemanticMixType SemanticMixType { get; init; }
    public required double ProxyMixKeepRatio { get; init; }
    public required double RnnDropout { get; init; }
    /// <summary>ρ in Π = ρ·bias + (1 − ρ)·container.</summary>
    public required double ProxyBiasRatio { get; init; }
    public required double FeatureDropout { get; init; }
    /// <summary>The seed's <c>vit_global_pooling</c>.</summary>
    public required GlobalPooling GlobalPooling { get; init; }

    public required AdapterOptions Adapter { get; init; }

    /// <summary>
    /// Mixed precision in bfloat16 (the CPU scheme): matrix products in bf16 with the frozen weights stored in bf16; the residual
    /// stream, LayerNorm, trainable master weights, embeddings and the loss in fp32 (see <see cref="Autocast"/>).
    /// </summary>
    public required bool Bf16 { get; init; }

    /// <summary>The same scheme in float16 (the reference's CUDA autocast; the trainer adds a dynamic loss scaler).</summary>
    public required bool Fp16 { get; init; }

    /// <summary>The half type of the mixed-precision scheme, or null for fp32.</summary>
    public TorchSharp.torch.ScalarType? AutocastType =>
        Fp16 ? TorchSharp.torch.ScalarType.Float16 : Bf16 ? TorchSharp.torch.ScalarType.BFloat16 : null;

    /// <summary>Optimiser of the class-prompt memory bank, as the model optimiser (SGD with <see cref="SgdMomentum"/>).</summary>
    public required OptimizerKind Optim { get; init; }
    /// <summary>Weight decay of the class-prompt memory bank (the seed's <c>decay</c>).</summary>
    public required double Decay { get; init; }
    /// <summary>SGD momentum of the class-prompt memory bank (the seed's <c>sdg_momentum</c>).</summary>
    public required double SgdMomentum { get; init; }

    /// <summary>
    /// Class prompts in the off-device memory bank (only the batch's rows move, Adam's step count global per block) rather
    /// than dense C×n_i×D parameters in the model optimiser (the seed's <c>prompt_memory_bank</c>, after the reference's
    /// automatic switch: see <c>ModelFactory</c>).
    /// </summary>
    public required bool PromptMemoryBank { get; init; }

    /// <summary>Seed for parameter initialisation.</summary>
    public required long Seed { get; init; }

    /// <summary>
    /// The parameter groups that train (<c>TrainableGroupTable.Resolve</c> of the config); a manifest written before the groups
    /// were stored reads as what its <see cref="Method"/> trained then.
    /// </summary>
    public TrainableGroups Trainable
    {
        get => _trainable ?? Training.TrainableGroupTable.ForMethod(Method, VitBitfit);
        init => _trainable = value;
    }
    private readonly TrainableGroups? _trainable;

    public bool UsesProxyNet => Trainable.ProxyNet;
    public bool UsesSharedPrompts => Trainable.SharedPrompts;
    public bool TrainsBiases => Trainable.Biases;
}
