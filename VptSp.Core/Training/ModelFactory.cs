using VptSp.Core.Runtime;
using VptSp.Core.Modeling;
using VptSp.Core.Modeling.Checkpoints;

namespace VptSp.Core.Training;

/// <summary>Maps a <see cref="TrainingConfig"/> onto the model's options and resolves its backbone checkpoint.</summary>
public static class ModelFactory
{
    /// <summary>
    /// The only way <see cref="ModelOptions"/> are made from settings: every value comes from the validated config
    /// (<see cref="TrainingConfigYaml.Validate"/>, the one validation), so the model cannot disagree with it.
    /// </summary>
    /// <param name="c">The run's config.</param>
    /// <param name="numClasses">Classes of the training split (C).</param>
    /// <param name="checkpoint">The resolved backbone checkpoint (<see cref="ResolveBackbone"/>); null = random backbone.</param>
    /// <param name="onGpu">Whether the model runs on CUDA (mix_precision is fp16 there, nothing elsewhere).</param>
    public static ModelOptions Options(TrainingConfig c, int numClasses, string? checkpoint = null, bool onGpu = false)
    {
        TrainingConfigYaml.Validate(c);
        if (numClasses <= 0) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "a model needs at least one class");
        return Map(c, numClasses, checkpoint, onGpu);
    }

    private static ModelOptions Map(TrainingConfig c, int numClasses, string? checkpoint, bool onGpu) => new()
    {
        Method = c.Method,
        Backbone = c.PretrainedModel,
        Checkpoint = checkpoint,
        EmbedDim = c.EmbedDim,
        NumClasses = numClasses,
        NumPrompt = c.NumPrompt,
        PromptDepth = c.PromptDepth,
        PromptBlockStep = c.PromptBlockStep,
        NumPPrompt = c.NumPPrompt,
        PPromptDepth = c.PPromptDepth,
        PromptPBlockStep = c.PromptPBlockStep,
        VitBitfit = c.VitBitfit,
        SemanticMixType = c.SemanticMixType,
        ProxyMixKeepRatio = c.ProxyMixKeepRatio,
        RnnDropout = c.RnnDropout,
        ProxyBiasRatio = c.ProxyBiasRatio,
        FeatureDropout = c.FeatureDropout,
        GlobalPooling = c.VitGlobalPooling,
        Trainable = TrainableGroupTable.Resolve(c),
        Adapter = new AdapterOptions(c.AdapterOption, c.AdapterNumBlocks, c.AdapterBottleneckDim, c.AdapterScalar,
            c.AdapterLnPosition, c.AdapterInitOption, Dropout: 0, c.AdapterAttention),
        // the reference's mix_precision is CUDA fp16 autocast; bf16 is the same scheme in bfloat16 (the CPU choice)
        Fp16 = c.MixPrecision && onGpu,
        Bf16 = UsesBf16(c, onGpu),
        Optim = c.Optim,
        Decay = c.Decay,
        SgdMomentum = c.SdgMomentum,
        PromptMemoryBank = UsesMemoryBank(c),
        Seed = c.Seed,
    };

    /// <summary>Whether the model runs in bf16: <c>bf16: true</c>, or <c>auto</c> where the device's probe says bf16 is faster; never beside CUDA fp16.</summary>
    public static bool UsesBf16(TrainingConfig c, bool onGpu) =>
        !(c.MixPrecision && onGpu) && c.Bf16 switch
        {
            Bf16Mode.On => true,
            Bf16Mode.Auto => TorchRuntime.ProbeBf16(onGpu ? TorchSharp.torch.CUDA : TorchSharp.torch.CPU).Faster,
            _ => false,
        };

    /// <summary>
    /// Whether the class prompts live in the memory bank: <c>prompt_memory_bank</c>, or the reference's automatic switch
    /// (main.py turns the bank on when batch_size ≥ 256 and the dataset is sop or inshop, or batch_size ≥ 256 and embed_dim ≥ 512).
    /// </summary>
    public static bool UsesMemoryBank(TrainingConfig c) =>
        c.PromptMemoryBank || (c.BatchSize >= 256 && (c.Dataset is "sop" or "inshop" || c.EmbedDim >= 512));

    /// <summary>The word of <see cref="TrainingConfig.BackboneCheckpoint"/> that asks for a randomly initialised backbone.</summary>
    public const string RandomBackbone = "random";

    /// <summary>The checkpoint file for <see cref="TrainingConfig.BackboneCheckpoint"/> (see <see cref="ResolveBackboneSource"/>); null = random init.</summary>
    public static string? ResolveBackbone(TrainingConfig c, string? dataDirectory) => ResolveBackboneSource(c, dataDirectory).Path;

    /// <summary>
    /// Where the backbone's weights come from: <c>random</c> → random init; empty → the Hub weights of
    /// <see cref="TrainingConfig.PretrainedModel"/> (downloaded into the Hub cache when missing) — and when that name has none,
    /// random init for <c>full</c> but a <see cref="ConfigException"/> for a frozen-backbone method, which would learn on noise;
    /// a file, or a run directory of a <c>full</c> run (its exported backbone), with relative paths tried under
    /// <paramref name="dataDirectory"/> first.
    /// </summary>
    public static BackboneSource ResolveBackboneSource(TrainingConfig c, string? dataDirectory,
        IProgress<Backbones.Hub.DownloadProgress>? progress = null, CancellationToken ct = default)
    {
        var value = c.BackboneCheckpoint.Trim();
        if (string.Equals(value, RandomBackbone, StringComparison.OrdinalIgnoreCase)) return BackboneSource.Random;
        if (value.Length == 0)
        {
            if (Backbones.Hub.PretrainedNames.HasWeights(c.PretrainedModel))
                return BackboneSource.FromHub(Backbones.Hub.PretrainedBackbones.Fetch(c.PretrainedModel, progress: progress, ct: ct));
            if (c.Method == TrainingMethod.Full) return BackboneSource.Random;
            throw new ConfigException("backbone_checkpoint",
                $"'{c.PretrainedModel}' has no published weights, so {c.Method.Name()} would train on a randomly initialised frozen ViT; " +
                $"give a checkpoint file, or set `backbone_checkpoint: {RandomBackbone}` if random weights are what you want");
        }
        foreach (var candidate in Candidates(value, dataDirectory))
        {
            if (File.Exists(candidate)) return BackboneSource.FromFile(candidate);
            var fromRun = Path.Combine(candidate, "artefacts", ArtefactFiles.Backbone);
            if (File.Exists(fromRun)) return BackboneSource.FromFile(fromRun);
            var fromArtefact = Path.Combine(candidate, ArtefactFiles.Backbone);
            if (File.Exists(fromArtefact)) return BackboneSource.FromFile(fromArtefact);
        }
        var hint = c.BackboneCheckpoint.Contains("emoji_vit", StringComparison.Ordinal)
            ? " (run the emoji_pretrain preset or `vptsp demo` first: it exports this backbone)"
            : "";
        throw new ConfigException("backbone_checkpoint", $"'{value}' was not found{hint}");
    }

    /// <summary>Where <see cref="TrainingConfig.ExportBackbone"/> points (relative paths under the data directory), or null.</summary>
    public static string? ResolveExport(TrainingConfig c, string? dataDirectory)
    {
        var value = c.ExportBackbone.Trim();
        if (value.Length == 0) return null;
        return Path.IsPathRooted(value) || dataDirectory is null ? Path.GetFullPath(value) : Path.GetFullPath(Path.Combine(dataDirectory, value));
    }

    private static IEnumerable<string> Candidates(string value, string? dataDirectory)
    {
        if (Path.IsPathRooted(value))
        {
            yield return value;
            yield break;
        }
        if (dataDirectory is not null) yield return Path.GetFullPath(Path.Combine(dataDirectory, value));
        yield return Path.GetFullPath(value);
    }
}
