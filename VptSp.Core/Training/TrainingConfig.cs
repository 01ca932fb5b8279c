using VptSp.Core.MetricLearning;
using VptSp.Core.Modeling;
using VptSp.Core.Training.Optimization;

namespace VptSp.Core.Training;

/// <summary>
/// Every hyper-parameter of a run, immutable. Keys map one to one onto the reference's YAML
/// (<c>n_epochs</c> ↔ <see cref="NEpochs"/>); the few keys VptSp adds are marked "(VptSp)" in their help.
/// Keys that select behaviour are enums spelled as the reference's strings (<see cref="Runtime.EnumNames"/>); this record is
/// the only place config defaults live (<see cref="ModelFactory"/> builds the model's options from it).
/// Load with <see cref="TrainingConfigYaml"/>; change with <c>with</c> or <see cref="TrainingConfigYaml.WithOverrides"/>.
/// </summary>
public sealed record TrainingConfig
{
    // ---- run and data ---------------------------------------------------------------------
    [ConfigKey("name", "Name of the experiment.")] public string Name { get; init; } = "default";
    [ConfigKey("dataset", "Dataset to train on.", Allowed = ["cub200", "cars196", "sop", "inshop", "inaturalist", "folder", "emoji"])]
    public string Dataset { get; init; } = "cub200";
    [ConfigKey("train_split", "(VptSp) Split to train on (emoji: pretrain or train).")] public string TrainSplit { get; init; } = "train";
    [ConfigKey("test_split", "(VptSp) Split to evaluate on (inshop evaluates query vs gallery).")] public string TestSplit { get; init; } = "test";
    [ConfigKey("seed", "Random seed; epoch e reseeds with seed + e.", Max = int.MaxValue)] public int Seed { get; init; }
    [ConfigKey("n_epochs", "Number of training epochs.", Max = 10_000)] public int NEpochs { get; init; } = 30;
    [ConfigKey("batch_size", "Mini-batch size (classes per batch = batch_size / samples_per_class).", Max = 4096)] public int BatchSize { get; init; } = 64;
    [ConfigKey("samples_per_class", "Images drawn per class in a batch.", Max = 256)] public int SamplesPerClass { get; init; } = 2;
    [ConfigKey("data_sampler", "Batch sampler.")] public DataSampler DataSampler { get; init; } = DataSampler.ClassRandom;
    [ConfigKey("kernels", "Data-loader worker threads.", Max = 64)] public int Kernels { get; init; } = 2;
    [ConfigKey("augmentation", "Train augmentation: base = RandomResizedCrop(224) of the original image + horizontal flip; none = (VptSp) no random augmentation, the eval transform (Resize + CenterCrop). The reference's big, adv, v2 and auto are rejected.")]
    public AugmentationKind Augmentation { get; init; } = AugmentationKind.Base;
    [ConfigKey("image_cache_mb", "(VptSp) Memory budget of the decoded-image cache, MB.", Max = 262_144)] public int ImageCacheMb { get; init; } = 512;
    [ConfigKey("eval_batch_size", "(VptSp) Batch size for embedding the test split.", Max = 4096)] public int EvalBatchSize { get; init; } = 128;

    // ---- optimisation ---------------------------------------------------------------------
    [ConfigKey("optim", "Optimiser.")] public OptimizerKind Optim { get; init; } = OptimizerKind.Sgd;
    [ConfigKey("sdg_momentum", "SGD momentum (the reference's spelling).", Max = 1)] public double SdgMomentum { get; init; } = 0.9;
    [ConfigKey("lr", "Learning rate of the model's trainable parameters.", Max = 10)] public double Lr { get; init; } = 0.001;
    [ConfigKey("lr_proxy", "Learning rate of the proxy bias (its own optimiser).", Max = 1000)] public double LrProxy { get; init; } = 0.5;
    [ConfigKey("decay", "Weight decay.", Max = 10)] public double Decay { get; init; }
    [ConfigKey("scheduler", "Learning-rate schedule, stepped per epoch.")]
    public SchedulerKind Scheduler { get; init; } = SchedulerKind.Cosine;
    [ConfigKey("lr_cosine_length", "Cosine T_max in epochs.", Max = 10_000)] public int LrCosineLength { get; init; } = 50;
    [ConfigKey("lr_cosine_min", "Cosine eta_min.", Max = 10)] public double LrCosineMin { get; init; } = 1e-6;
    [ConfigKey("lr_reduce_rate", "step/multi: factor applied at each reduction.", Max = 10)] public double LrReduceRate { get; init; } = 0.5;
    [ConfigKey("lr_reduce_step", "step: epochs between reductions.", Max = 10_000)] public int LrReduceStep { get; init; } = 5;
    [ConfigKey("lr_reduce_multi_steps", "multi: milestone epochs.", Max = 10_000, MaxItems = 100)] public int[] LrReduceMultiSteps { get; init; } = [20, 45, 70];
    [ConfigKey("lr_linear_start", "linear: start factor.", Max = 100)] public double LrLinearStart { get; init; } = 1.0;
    [ConfigKey("lr_linear_end", "linear: end factor.", Max = 100)] public double LrLinearEnd { get; init; } = 0.01;
    [ConfigKey("lr_linear_length", "linear: epochs from start to end factor.", Max = 10_000)] public int LrLinearLength { get; init; } = 20;
    [ConfigKey("same_p_scheduler", "Read by nothing in the reference: its proxy optimiser always follows a cosine schedule (lr_cosine_length, lr_cosine_min) unless scheduler is none.", Inert = true)]
    public bool SamePScheduler { get; init; } = true;
    [ConfigKey("warmup", "Epochs training only the head first (-1 = none).", Max = 10_000)] public int Warmup { get; init; } = -1;

    // ---- loss -----------------------------------------------------------------------------
    [ConfigKey("loss", "Objective: dml_proxy_peft (Proxy-Anchor with semantic proxies), dml_proxy (plain proxies), cross_entropy (VptSp: pre-training).")]
    public LossKind Loss { get; init; } = LossKind.DmlProxyPeft;
    [ConfigKey("loss_oproxy_mode", "Proxy loss: anchor = Proxy-Anchor, nca = Proxy-NCA.")] public ProxyLossMode LossOproxyMode { get; init; } = ProxyLossMode.Anchor;
    [ConfigKey("loss_oproxy_pos_alpha", "Scale of positive similarities.", Max = 10_000)] public double LossOproxyPosAlpha { get; init; } = 32;
    [ConfigKey("loss_oproxy_neg_alpha", "Scale of negative similarities.", Max = 10_000)] public double LossOproxyNegAlpha { get; init; } = 32;
    [ConfigKey("loss_oproxy_pos_delta", "Margin of positive similarities.", Max = 10)] public double LossOproxyPosDelta { get; init; } = 0.1;
    [ConfigKey("loss_oproxy_neg_delta", "Margin of negative similarities.", Max = 10)] public double LossOproxyNegDelta { get; init; } = -0.1;
    [ConfigKey("loss_oproxy_lrmulti", "Read by nothing in the reference (its proxy bias has its own lr_proxy).", Max = 1e6, Inert = true)] public double LossOproxyLrmulti { get; init; } = 200;
    [ConfigKey("proxy_data_range", "in_batch: batch proxies only; both_all: all proxies.")]
    public ProxyDataRange ProxyDataRange { get; init; } = ProxyDataRange.InBatch;

    // ---- backbone and method --------------------------------------------------------------
    [ConfigKey("arch", "Architecture.", Allowed = ["peft_vit"])] public string Arch { get; init; } = "peft_vit";
    [ConfigKey("pretrained_model", "Backbone preset (timm name).")] public string PretrainedModel { get; init; } = "vit_small_patch16_224_in21k";
    [ConfigKey("backbone_checkpoint", "(VptSp) Backbone weights: a timm .safetensors/.pth file or a run directory of a full run (relative paths: the data directory first, then the working directory); empty = random init.")]
    public string BackboneCheckpoint { get; init; } = "";
    [ConfigKey("export_backbone", "(VptSp) When set, a completed run also writes its whole backbone here (relative paths: under the data directory), for later runs' backbone_checkpoint.")]
    public string ExportBackbone { get; init; } = "";
    [ConfigKey("embed_dim", "Output size of the metric head.", Max = 8192)] public int EmbedDim { get; init; } = 384;
    [ConfigKey("vit_global_pooling", "Pooled feature.")] public GlobalPooling VitGlobalPooling { get; init; } = GlobalPooling.Token;
    [ConfigKey("full_fine_tune", "Train every backbone weight.")] public bool FullFineTune { get; init; }
    [ConfigKey("vit_head", "Train the metric head (fc_norm + head); false = no head: the embedding is the pooled, normed backbone feature (embed_dim must equal the backbone's width). Default true here; the reference's command-line default is false, and every reference config sets true.")]
    public bool VitHead { get; init; } = true;
    [ConfigKey("vit_prompt", "Shared deep visual prompts.")] public bool VitPrompt { get; init; }
    [ConfigKey("vit_proxy_net", "Semantic proxies from per-class prompts (VPTSP-G).")] public bool VitProxyNet { get; init; }
    [ConfigKey("vit_bitfit", "Train every backbone bias.")] public bool VitBitfit { get; init; }
    [ConfigKey("adapter", "AdaptFormer adapters.")] public bool Adapter { get; init; }
    [ConfigKey("adapter_option", "Adapter placement.")] public AdapterPlacement AdapterOption { get; init; } = AdapterPlacement.Parallel;
    [ConfigKey("adapter_num_blocks", "Blocks with an adapter.", Max = 64)] public int AdapterNumBlocks { get; init; } = 12;
    [ConfigKey("adapter_bottleneck_dim", "Adapter bottleneck width.", Max = 8192)] public int AdapterBottleneckDim { get; init; } = 64;
    [ConfigKey("adapter_scalar", "Adapter output scale.", Max = 1000)] public double AdapterScalar { get; init; } = 1.0;
    [ConfigKey("adapter_ln_position", "Adapter LayerNorm position.")] public AdapterLnPosition AdapterLnPosition { get; init; } = AdapterLnPosition.Post;
    [ConfigKey("adapter_init_option", "Adapter initialisation.")] public AdapterInit AdapterInitOption { get; init; } = AdapterInit.Lora;
    [ConfigKey("adapter_attention", "(VptSp) Attention of the adapted blocks: reference = as the authors ran it (their AdaptBlock: 12 heads, no qkv bias - the pretrained one is dropped -, LayerNorm eps 1e-5; needs a width divisible by 12); backbone = the backbone's own heads, qkv bias and eps.")]
    public AdapterAttention AdapterAttention { get; init; } = AdapterAttention.Reference;

    // ---- prompts and proxies --------------------------------------------------------------
    [ConfigKey("num_prompt", "Shared prompts per block.", Max = 1024)] public int NumPrompt { get; init; } = 10;
    [ConfigKey("prompt_depth", "Blocks that get shared prompts.", Max = 64)] public int PromptDepth { get; init; } = 12;
    [ConfigKey("prompt_block_step", "Shared prompts dropped per block.", Max = 1024)] public int PromptBlockStep { get; init; }
    [ConfigKey("proxy_net_depth", "Read by nothing in the reference (the class prompts' depth is p_prompt_depth).", Max = 64, Inert = true)] public int ProxyNetDepth { get; init; } = 12;
    [ConfigKey("num_p_prompt", "Class prompts per block.", Max = 1024)] public int NumPPrompt { get; init; } = 5;
    [ConfigKey("p_prompt_depth", "Blocks that get class prompts.", Max = 64)] public int PPromptDepth { get; init; } = 3;
    [ConfigKey("prompt_p_block_step", "Class prompts dropped per block.", Max = 1024)] public int PromptPBlockStep { get; init; }
    [ConfigKey("proxy_net_head", "Head of the proxy net.")] public ProxyNetHead ProxyNetHead { get; init; } = ProxyNetHead.Isolated;
    [ConfigKey("proxy_mix_bias", "Mix the learnable proxy bias into the semantic proxies.")] public bool ProxyMixBias { get; init; }
    [ConfigKey("proxy_mix_keep_ratio", "mix: share of the container kept.", Max = 1)] public double ProxyMixKeepRatio { get; init; } = 0.8;
    [ConfigKey("proxy_bias_ratio", "Share of the proxy bias in each proxy.", Max = 1)] public double ProxyBiasRatio { get; init; } = 0.5;
    [ConfigKey("semantic_mix_type", "How a class's semantic features update its proxy.")]
    public SemanticMixType SemanticMixType { get; init; } = SemanticMixType.GruRelu;
    [ConfigKey("rnn_dropout", "Dropout on the GRU output.", Max = 1)] public double RnnDropout { get; init; }
    [ConfigKey("feature_dropout", "Dropout on the training embedding.", Max = 1)] public double FeatureDropout { get; init; }
    [ConfigKey("prompt_memory_bank", "Class prompts in an off-device memory bank (only the batch's rows move; Adam's step count is global); off = dense parameters that momentum/decay move every step. Switched on automatically, as the reference does, when batch_size >= 256 on sop/inshop or with embed_dim >= 512.")] public bool PromptMemoryBank { get; init; }
    [ConfigKey("simple_proxies", "Read by the reference only with vit_proxy_net and proxy_mix_bias: false, which is refused here (proxy_mix_bias names why).", Inert = true)] public bool SimpleProxies { get; init; }
    [ConfigKey("simple_proxies_vpt", "Read by the reference only on its simple_proxies path (see simple_proxies), refused here.", Inert = true)] public bool SimpleProxiesVpt { get; init; }

    // ---- precision, evaluation, logging ---------------------------------------------------
    [ConfigKey("mix_precision", "Mixed precision on CUDA as the reference: fp16 matrix products, fp32 residual stream, LayerNorm and loss, dynamic loss scaling.")] public bool MixPrecision { get; init; }
    [ConfigKey("bf16", "(VptSp) The same mixed precision in bfloat16 on any device (no loss scaling); frozen matrix weights stored in bf16. auto: only where bf16 matrix products are faster than fp32 on the device at hand (measured once per process).")] public Bf16Mode Bf16 { get; init; }
    [ConfigKey("eval_start", "First epoch that is evaluated (beyond n_epochs: none is).", Max = 1_000_000)] public int EvalStart { get; init; }
    [ConfigKey("evaluation_metrics", "Metrics (reference names, e.g. e_recall@1, mAP_R, nmi, f1).", MaxItems = 64)]
    public string[] EvaluationMetrics { get; init; } = ["e_recall@1", "e_recall@2", "e_recall@4", "e_recall@8", "nmi", "f1", "mAP_R"];
    [ConfigKey("storage_metrics", "Metric that picks the best epoch.", MaxItems = 16)] public string[] StorageMetrics { get; init; } = ["e_recall@1"];
    [ConfigKey("no_train_metrics", "Skip metrics on the training split; when false, each evaluation also reports train_recall@1 and train_map@r_ref on the training images (eval transform), as the reference does.")]
    public bool NoTrainMetrics { get; init; }
    [ConfigKey("normal", "The reference's re-normalisation of test embeddings its model already L2-normalises: a no-op there, always so here.", Inert = true)] public bool Normal { get; init; }
    [ConfigKey("checkpoint", "Gradient checkpointing on GPU (memory only: the reference's numbers are the same with it on or off).", Inert = true)] public bool Checkpoint { get; init; }
    [ConfigKey("world_size", "GPUs: the reference asserts world_size == 1 in main.py, so 1 is the only value it runs.", Max = 64, Inert = true)] public int WorldSize { get; init; } = 1;
    [ConfigKey("negative_push", "Reference-config key (unused by the reference code).", Inert = true)] public string NegativePush { get; init; } = "";
    [ConfigKey("promot_mix", "Reference-config key (unused by the reference code).", Inert = true)] public bool PromotMix { get; init; }
    [ConfigKey("force_add_positive", "Reference-config key (unused by the reference code).", Inert = true)] public bool ForceAddPositive { get; init; }
    [ConfigKey("naming_attributes", "Read by nothing in the reference.", MaxItems = 64, Inert = true)] public string[] NamingAttributes { get; init; } = [];

    /// <summary>The run's method label, derived from its flags (<see cref="TrainableGroups.Method"/>); what trains is <see cref="TrainableGroupTable"/>'s.</summary>
    public TrainingMethod Method =>
        new TrainableGroups(Backbone: FullFineTune, Head: VitHead, SharedPrompts: VitPrompt, Biases: VitBitfit, Adapter: Adapter, ProxyNet: VitProxyNet).Method;

    /// <summary>Classes per batch.</summary>
    public int ClassesPerBatch => BatchSize / Math.Max(1, SamplesPerClass);
}
