using TorchSharp;
using TorchSharp.Modules;
using VptSp.Core.Modeling.Checkpoints;
using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Core.Modeling;

/// <summary>
/// The deep-metric-learning model: a frozen (or, for <c>full</c>, trainable) timm ViT plus the parts each method trains
/// (VPTSP-G, ICLR 2024): shared deep prompts, metric head (fc_norm + head), BitFit biases, AdaptFormer adapters, and for <c>vptsp_g</c> the
/// proxy net (memory-bank class prompts, p_fc_norm + p_head, semantic GRU / mix) with proxy bias and proxy container.
/// See Modeling/API.md for the per-step protocol.
/// </summary>
public sealed partial class MetricModel : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly VisionTransformer backbone;
    private readonly ParameterList? prompts;
    private readonly Norm? fc_norm;     // vit_head
    private readonly Dense? head;
    private readonly Norm? p_fc_norm;
    private readonly Dense? p_head;
    private readonly SemanticGru? rnn_update;
    private readonly ParameterList? p_prompts;   // dense class prompts (prompt_memory_bank off)
    private readonly Parameter proxies_bias;
#pragma warning restore IDE1006

    private readonly ClassPromptBank? _bank;
    private readonly ProxyContainer? _container;
    private readonly int[] _sharedPromptsPerBlock;
    private ClassPromptBatch? _pending;

    /// <summary>
    /// Builds the model described by <paramref name="options"/> (imports <see cref="ModelOptions.Checkpoint"/> when set) on
    /// <paramref name="device"/> (CPU by default). <paramref name="backboneSpec"/> replaces the preset's structure (tests: a tiny
    /// model of a preset's family); by default it is <c>VitPresets.Get(options.Backbone)</c>.
    /// </summary>
    public MetricModel(ModelOptions options, Device? device = null, VitSpec? backboneSpec = null) : base("metric_model")
    {
        Options = options;
        // preprocessing comes from the checkpoint: a Hub snapshot's config.json (pretrained_cfg) when there is one
        Spec = Backbones.Hub.PretrainedCfg.ApplyBeside(backboneSpec ?? VitPresets.Get(options.Backbone), options.Checkpoint);
        Device = device ?? CPU;
        using var seeded = Init.Seeded(options.Seed);
        var d = Spec.EmbedDim;
        var e = options.EmbedDim;

        var trainable = options.Trainable;
        backbone = new VisionTransformer(Spec, trainable.Adapter ? options.Adapter with { Dropout = options.FeatureDropout } : null);
        if (options.Checkpoint is not null)
        {
            var report = CheckpointImporter.Import(backbone, options.Checkpoint);
            CheckpointSha256 = report.Sha256;
        }

        _sharedPromptsPerBlock = options.UsesSharedPrompts
            ? Enumerable.Range(0, Math.Min(options.PromptDepth, Spec.Depth))
                .Select(i => Math.Max(options.NumPrompt - i * options.PromptBlockStep, 0)).TakeWhile(n => n > 0).ToArray()
            : Array.Empty<int>();
        if (options.UsesSharedPrompts)
        {
            // xavier-normal over 1×num_prompt×D (fan_in = num_prompt·D, fan_out = D); block i keeps its first n_i prompts
            var std = Math.Sqrt(2.0 / ((double)options.NumPrompt * d + d));
            prompts = new ParameterList();
            foreach (var n in _sharedPromptsPerBlock)
            {
                var t = empty(1, n, d);
                Init.Normal(t, 0, std);
                prompts.Add(new Parameter(t));
            }
        }

        if (trainable.Head)
        {
            fc_norm = new Norm("fc_norm", d, eps: 1e-5);
            head = NewHead("head", d, e);
        }
        if (options.UsesProxyNet)
        {
            // the reference builds p_fc_norm/p_head with the proxy net but reads them only with vit_head
            if (trainable.Head)
            {
                p_fc_norm = new Norm("p_fc_norm", d, eps: 1e-5);
                p_head = NewHead("p_head", d, e);
            }
            if (options.SemanticMixType is SemanticMixType.Gru or SemanticMixType.GruRelu)
                rnn_update = new SemanticGru("rnn_update", e, e, options.SemanticMixType, options.RnnDropout);
            var depth = Math.Min(options.PPromptDepth, Spec.Depth);
            if (options.PromptMemoryBank)
                _bank = new ClassPromptBank(options.NumClasses, options.NumPPrompt, depth, options.PromptPBlockStep, d, options.Optim,
                    options.Decay, options.SgdMomentum);
            else
            {
                // C×n_i×D parameters in the model optimiser: every row moves each step (momentum, moments, weight decay)
                p_prompts = new ParameterList();
                var perBlock = ClassPromptLayout.PromptsPerBlock(options.NumPPrompt, depth, options.PromptPBlockStep);
                foreach (var t in ClassPromptLayout.InitialRows(options.NumClasses, options.NumPPrompt, d, perBlock))
                    p_prompts.Add(new Parameter(t));
            }
        }
        using (var raw = XavierUniform(options.NumClasses, e))
            proxies_bias = new Parameter(raw.DividedBy(8.0));
        if (options.UsesProxyNet)
        {
            using var raw = XavierUniform(options.NumClasses, e);
            using var scaled = raw.DividedBy(8.0);
            _container = new ProxyContainer(nn.functional.normalize(scaled, dim: 1));
        }

        RegisterComponents();
        SetTrainability();
        if (options.AutocastType is { } half) backbone.StoreFrozenMatmulWeights(half);
        // a caller may build the model inside a dispose scope: the model's tensors must outlive it
        foreach (var p in parameters()) p.DetachFromDisposeScope();
        foreach (var b in buffers()) b.DetachFromDisposeScope();
        if (Device.type != DeviceType.CPU)
        {
            this.to(Device);
            _container?.MoveTo(Device);
        }
    }

    public ModelOptions Options { get; }

    public VitSpec Spec { get; }

    public Device Device { get; }

    /// <summary>SHA-256 of the imported backbone checkpoint (null for a random backbone).</summary>
    public string? CheckpointSha256 { get; private set; }

    public VisionTransformer Backbone => backbone;

    /// <summary>The class-prompt memory bank (vptsp_g with <c>prompt_memory_bank</c>; null for dense class prompts).</summary>
    public ClassPromptBank? ClassPrompts => _bank;

    /// <summary>The dense class prompts, C×n_i×D per block (vptsp_g without <c>prompt_memory_bank</c>), else empty.</summary>
    public IReadOnlyList<Parameter> DenseClassPrompts => p_prompts is null ? Array.Empty<Parameter>() : p_prompts.ToList();

    /// <summary>Proxy container C×E (vptsp_g only; a detached buffer between steps).</summary>
    public Tensor? ProxyContainerValues => _container?.Value;

    /// <summary>Shared prompts each block sees (empty when the method has none).</summary>
    public IReadOnlyList<int> SharedPromptsPerBlock => _sharedPromptsPerBlock;

    public Preprocessing Preprocessing => new(Spec.ImgSize, Spec.Mean, Spec.Std, Spec.Interpolation, Spec.CropPct);

    private static Dense NewHead(string name, int inDim, int outDim)
    {
        var h = new Dense(name, inDim, outDim);
        Init.XavierUniform(h.Weight);
        using var _ = no_grad();
        nn.init.zeros_(h.Bias!);
        return h;
    }

    private static Tensor XavierUniform(long rows, long cols)
    {
        var t = empty(rows, cols);
        Init.XavierUniform(t);
        return t;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pending?.Dispose();
            _pending = null;
            _bank?.Dispose();
            _container?.Dispose();
        }
        base.Dispose(disposing);
    }

    private void SetTrainability()
    {
        var groups = Options.Trainable;
        foreach (var (name, p) in backbone.named_parameters())
        {
            var train = groups.Backbone
                        || (groups.Biases && name.EndsWith(".bias", StringComparison.Ordinal))
                        || (groups.Adapter && name.Contains(".adapter.", StringComparison.Ordinal));
            p.requires_grad = train;
        }
    }
}
