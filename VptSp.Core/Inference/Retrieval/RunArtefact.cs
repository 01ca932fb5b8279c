using TorchSharp.PyBridge;
using VptSp.Core.Modeling;
using VptSp.Core.Modeling.Checkpoints;
using VptSp.Core.Training;
using static TorchSharp.torch;

namespace VptSp.Core.Inference.Retrieval;

/// <summary>
/// A completed run's trained tensors that the embedding path uses (shared prompts, metric head, BitFit biases,
/// adapters, or the whole backbone for <c>full</c>), held in memory so that applying them to a pooled model is a
/// few tensor copies. The proxy net (class prompts, proxies, p_head, GRU) only matters for training and is left out.
/// </summary>
public sealed class RunArtefact : IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors;

    private RunArtefact(string runDirectory, string fingerprint, ArtefactManifest manifest, string? checkpoint, Dictionary<string, Tensor> tensors)
    {
        RunDirectory = runDirectory;
        Fingerprint = fingerprint;
        Manifest = manifest;
        CheckpointPath = checkpoint;
        _tensors = tensors;
    }

    public string RunDirectory { get; }

    /// <summary><see cref="ArtefactFingerprint.Compute"/> of the artefact this was read from.</summary>
    public string Fingerprint { get; }

    public ArtefactManifest Manifest { get; }

    /// <summary>The backbone checkpoint file the run started from (null: random backbone or full run).</summary>
    public string? CheckpointPath { get; }

    public ModelOptions Options => Manifest.Options;

    public IReadOnlyDictionary<string, Tensor> Tensors => _tensors;

    /// <summary>Which pooled model can carry this run: same structure, same forward options, same frozen weights.</summary>
    public PooledModelKey PoolKey => PooledModelKey.For(this);

    /// <summary>Reads the artefact of the run in <paramref name="runDirectory"/> (its best epoch).</summary>
    public static RunArtefact Load(string runDirectory, string? fingerprint = null)
    {
        var dir = new Training.RunDirectory(runDirectory);
        var artefacts = dir.ArtefactsDir;
        var manifestPath = Path.Combine(artefacts, ArtefactFiles.Manifest);
        if (!File.Exists(manifestPath))
            throw new FileNotFoundException($"run {dir.Path} has no artefact (it has not completed an evaluated epoch)", manifestPath);
        fingerprint ??= ArtefactFingerprint.Compute(artefacts);
        var manifest = MetricModel.ReadManifest(artefacts);
        var checkpoint = manifest.Options.Method == TrainingMethod.Full ? null : dir.ReadSource()?.BackboneCheckpoint ?? manifest.Options.Checkpoint;
        if (manifest.CheckpointSha256 is not null && manifest.Options.Method != TrainingMethod.Full && (checkpoint is null || !File.Exists(checkpoint)))
            throw new FileNotFoundException($"run {dir.Path}: its backbone checkpoint ({manifest.CheckpointFile}) is no longer at '{checkpoint}'");
        var stored = MetricModel.ReadTrainedTensors(artefacts);
        var kept = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, t) in stored)
        {
            if (MetricModel.IsTrainingOnly(name)) t.Dispose();
            else kept[name] = t.DetachFromDisposeScope();
        }
        return new RunArtefact(dir.Path, fingerprint, manifest, checkpoint, kept);
    }

    public void Dispose()
    {
        foreach (var t in _tensors.Values) t.Dispose();
        _tensors.Clear();
    }
}
