using TorchSharp.Modules;
using VptSp.Core.Modeling;
using static TorchSharp.torch;

namespace VptSp.Core.Inference.Retrieval;

/// <summary>
/// One <see cref="MetricModel"/> shared by every run of a <see cref="PooledModelKey"/>: its frozen backbone is loaded
/// once, and each forward first applies the calling run's trained tensors if another run was applied last (copies
/// of prompts, heads, biases, adapters: milliseconds). Applying and forwarding happen under one lock, so a forward
/// never sees another run's or half-copied weights.
/// </summary>
public sealed class PooledModel : IDisposable
{
    private readonly object _gate = new();
    private readonly MetricModel _model;
    private readonly Dictionary<string, Parameter> _swappable;
    private RunArtefact? _applied;
    private bool _disposed;

    public PooledModel(PooledModelKey key, RunArtefact first, Device? device = null)
    {
        Key = key;
        var options = PooledModelKey.StructuralOptions(first.Options) with { Checkpoint = first.CheckpointPath };
        _model = new MetricModel(options, device);
        _model.eval();
        if (first.Options.Method != TrainingMethod.Full && _model.CheckpointSha256 != first.Manifest.CheckpointSha256)
        {
            _model.Dispose();
            throw new InvalidDataException(
                $"run {first.RunDirectory}: checkpoint '{first.CheckpointPath}' has SHA-256 {_model.CheckpointSha256 ?? "(none)"}, the run was trained on {first.Manifest.CheckpointSha256 ?? "(random)"}");
        }
        _swappable = _model.named_parameters()
            .Where(p => p.parameter.requires_grad && !MetricModel.IsTrainingOnly(p.name))
            .ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        foreach (var p in _model.parameters()) p.requires_grad = false;
    }

    public PooledModelKey Key { get; }

    public Preprocessing Preprocessing => _model.Preprocessing;

    public Device Device => _model.Device;

    public int Dimension => _model.Options.EmbedDim;

    /// <summary>Tensors replaced when switching runs (what a run trained and the embedding path reads).</summary>
    public IReadOnlyCollection<string> SwappableNames => _swappable.Keys;

    /// <summary>The run whose tensors are applied now (null before the first forward).</summary>
    public string? AppliedRun
    {
        get { lock (_gate) return _applied?.RunDirectory; }
    }

    /// <summary>Number of times tensors of a different run were applied.</summary>
    public int SwapCount { get; private set; }

    /// <summary>Checks that <paramref name="artefact"/> provides every swappable tensor with the right shape (throws naming the first problems).</summary>
    public void CheckFits(RunArtefact artefact)
    {
        var problems = new List<string>();
        foreach (var (name, target) in _swappable)
        {
            if (!artefact.Tensors.TryGetValue(name, out var value)) problems.Add($"{name}: missing");
            else if (!value.shape.SequenceEqual(target.shape))
                problems.Add($"{name}: artefact [{string.Join(", ", value.shape)}] vs model [{string.Join(", ", target.shape)}]");
        }
        foreach (var name in artefact.Tensors.Keys)
            if (!_swappable.ContainsKey(name)) problems.Add($"{name}: not trained by this model");
        if (problems.Count > 0)
            throw new InvalidDataException($"run {artefact.RunDirectory} does not fit its pooled model: {string.Join("; ", problems.Take(5))}");
    }

    /// <summary>Applies <paramref name="artefact"/>'s tensors now (a no-op when they are applied already); forwards of other runs wait.</summary>
    public void Activate(RunArtefact artefact)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ActivateLocked(artefact);
        }
    }

    /// <summary>L2-normalised embeddings (B×E) of <paramref name="images"/> with <paramref name="artefact"/>'s tensors applied.</summary>
    /// <exception cref="ObjectDisposedException">The pooled model was evicted meanwhile (ask the cache again).</exception>
    public Tensor Embed(RunArtefact artefact, Tensor images)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ActivateLocked(artefact);
            return _model.Embed(images);
        }
    }

    private void ActivateLocked(RunArtefact artefact)
    {
        if (ReferenceEquals(_applied, artefact)) return;
        Apply(artefact);
        _applied = artefact;
        SwapCount++;
    }

    private void Apply(RunArtefact artefact)
    {
        CheckFits(artefact);
        _applied = null; // if a copy fails half-way, the next forward re-applies everything
        using var _ = no_grad();
        foreach (var (name, target) in _swappable) target.copy_(artefact.Tensors[name]);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _applied = null;
            _model.Dispose();
        }
    }
}
