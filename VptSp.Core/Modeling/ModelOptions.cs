namespace VptSp.Core.Modeling;

/// <summary>Which parameters a run trains (the paper's baselines and VPTSP-G).</summary>
public static class Methods
{
    /// <summary>Every backbone weight + metric head.</summary>
    public const string Full = "full";
    /// <summary>Metric head (fc_norm + head) only.</summary>
    public const string Linear = "linear";
    /// <summary>Shared deep prompts + metric head.</summary>
    public const string Vpt = "vpt";
    /// <summary>Backbone biases + metric head.</summary>
    public const string BitFit = "bitfit";
    /// <summary>AdaptFormer adapters + metric head.</summary>
    public const string Adapter = "adapter";
    /// <summary>Shared prompts + metric head + BitFit (optional) + proxy net (class prompts, p_fc_norm/p_head, GRU) + proxy bias.</summary>
    public const string VptspG = "vptsp_g";

    public static readonly IReadOnlyList<string> All = new[] { Full, Linear, Vpt, BitFit, Adapter, VptspG };
}

/// <summary>
/// Everything needed to build a <see cref="MetricModel"/>. Property names follow the seed configuration keys
/// (<c>num_prompt</c> → <see cref="NumPrompt"/> …) with the same meanings.
/// </summary>
public sealed record ModelOptions
{
    /// <summary>One of <see cref="Methods.All"/>.</summary>
    public string Method { get; init; } = Methods.VptspG;
    /// <summary>Backbone preset (<see cref="VitPresets"/>), the seed's <c>pretrained_model</c>.</summary>
    public string Backbone { get; init; } = "vit_small_patch16_224_in21k";
    /// <summary>timm checkpoint (.safetensors/.pth/.bin); null = random backbone (tests, demo from scratch).</summary>
    public string? Checkpoint { get; init; }
    /// <summary>Output size E of the metric head (<c>embed_dim</c>).</summary>
    public int EmbedDim { get; init; } = 384;
    /// <summary>Number of training classes C (<c>n_classes</c>).</summary>
    public int NumClasses { get; init; } = 100;

    public int NumPrompt { get; init; } = 80;
    public int PromptDepth { get; init; } = 12;
    public int PromptBlockStep { get; init; }
    public int NumPPrompt { get; init; } = 5;
    public int PPromptDepth { get; init; } = 12;
    public int PromptPBlockStep { get; init; }

    /// <summary>BitFit inside VPTSP-G (<c>vit_bitfit</c>); the <c>bitfit</c> method always trains biases.</summary>
    public bool VitBitfit { get; init; } = true;
    /// <summary>"gru", "gru_relu" or "mix".</summary>
    public string SemanticMixType { get; init; } = "gru_relu";
    public double ProxyMixKeepRatio { get; init; } = 0.8;
    public double RnnDropout { get; init; }
    /// <summary>ρ in Π = ρ·bias + (1 − ρ)·container.</summary>
    public double ProxyBiasRatio { get; init; } = 0.1;
    public double FeatureDropout { get; init; }
    /// <summary>"token" (class token) or "avg" (mean of patch tokens), the seed's <c>vit_global_pooling</c>.</summary>
    public string GlobalPooling { get; init; } = "token";

    public AdapterOptions Adapter { get; init; } = new();

    /// <summary>
    /// Mixed precision in bfloat16 (the CPU scheme): matrix products in bf16 with the frozen weights stored in bf16; the residual
    /// stream, LayerNorm, trainable master weights, embeddings and the loss in fp32 (see <see cref="Autocast"/>).
    /// </summary>
    public bool Bf16 { get; init; }

    /// <summary>The same scheme in float16 (the reference's CUDA autocast; the trainer adds a dynamic loss scaler).</summary>
    public bool Fp16 { get; init; }

    /// <summary>The half type of the mixed-precision scheme, or null for fp32.</summary>
    public TorchSharp.torch.ScalarType? AutocastType =>
        Fp16 ? TorchSharp.torch.ScalarType.Float16 : Bf16 ? TorchSharp.torch.ScalarType.BFloat16 : null;

    /// <summary>Optimiser of the class-prompt memory bank, as the model optimiser: "adamw", "adam" or "sgd" (momentum 0.9).</summary>
    public string Optim { get; init; } = "adamw";
    /// <summary>Weight decay of the class-prompt memory bank (the seed's <c>decay</c>).</summary>
    public double Decay { get; init; }
    /// <summary>SGD momentum of the class-prompt memory bank (the seed's <c>sdg_momentum</c>).</summary>
    public double SgdMomentum { get; init; } = 0.9;

    /// <summary>
    /// Class prompts in the off-device memory bank (only the batch's rows move, Adam's step count global per block) rather
    /// than dense C×n_i×D parameters in the model optimiser (the seed's <c>prompt_memory_bank</c>, after the reference's
    /// automatic switch: see <c>ModelFactory</c>). True by default so artefacts written before the key existed load as they were trained.
    /// </summary>
    public bool PromptMemoryBank { get; init; } = true;

    /// <summary>Seed for parameter initialisation.</summary>
    public long Seed { get; init; }

    public bool UsesProxyNet => Method == Methods.VptspG;
    public bool UsesSharedPrompts => Method is Methods.Vpt or Methods.VptspG;
    public bool TrainsBiases => Method == Methods.BitFit || (Method == Methods.VptspG && VitBitfit);

    /// <summary>Throws ArgumentException naming the first invalid setting.</summary>
    public ModelOptions Validate()
    {
        if (!Methods.All.Contains(Method))
            throw new ArgumentException($"method '{Method}' is unknown; use one of {string.Join(", ", Methods.All)}");
        if (EmbedDim <= 0) throw new ArgumentException($"embed_dim must be positive (got {EmbedDim})");
        if (NumClasses <= 0) throw new ArgumentException($"n_classes must be positive (got {NumClasses})");
        if (NumPrompt < 0 || PromptDepth < 0 || PromptBlockStep < 0)
            throw new ArgumentException("num_prompt, prompt_depth and prompt_block_step must not be negative");
        if (NumPPrompt < 0 || PPromptDepth < 0 || PromptPBlockStep < 0)
            throw new ArgumentException("num_p_prompt, p_prompt_depth and prompt_p_block_step must not be negative");
        if (SemanticMixType is not ("gru" or "gru_relu" or "mix"))
            throw new ArgumentException($"semantic_mix_type must be 'gru', 'gru_relu' or 'mix' (got '{SemanticMixType}')");
        if (GlobalPooling is not ("token" or "avg"))
            throw new ArgumentException($"vit_global_pooling must be 'token' or 'avg' (got '{GlobalPooling}')");
        if (ProxyBiasRatio is < 0 or > 1) throw new ArgumentException($"proxy_bias_ratio must be in [0, 1] (got {ProxyBiasRatio})");
        if (ProxyMixKeepRatio is < 0 or > 1) throw new ArgumentException($"proxy_mix_keep_ratio must be in [0, 1] (got {ProxyMixKeepRatio})");
        if (FeatureDropout is < 0 or >= 1) throw new ArgumentException($"feature_dropout must be in [0, 1) (got {FeatureDropout})");
        if (RnnDropout is < 0 or >= 1) throw new ArgumentException($"rnn_dropout must be in [0, 1) (got {RnnDropout})");
        if (Optim is not ("adamw" or "adam" or "sgd"))
            throw new ArgumentException($"optim must be 'adamw', 'adam' or 'sgd' (got '{Optim}')");
        if (Method == Methods.Adapter) Adapter.Validate();
        if (Bf16 && Fp16) throw new ArgumentException("bf16 and fp16 mixed precision exclude each other; choose one");
        return this;
    }
}
