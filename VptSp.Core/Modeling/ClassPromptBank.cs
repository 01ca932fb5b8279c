using VptSp.Core.Training.Optimization;
using static TorchSharp.torch;

namespace VptSp.Core.Modeling;

/// <summary>
/// Memory bank of the per-class proxy prompts when <c>prompt_memory_bank</c> is on. The C×n_i×D prompt
/// rows and their optimiser moments live on the CPU; a step gathers only the batch's classes into small leaf tensors on
/// the model device (<see cref="Gather"/>), the loss back-propagates into those leaves, and <see cref="Apply"/> runs the
/// model's <see cref="UpdateRule"/> on those rows only and writes rows and moments back. As in the reference, the step
/// count that drives Adam's bias correction is ONE global counter per block (the number of bank steps taken), not one per
/// class. Nothing of size C is read or written during a step.
/// </summary>
public sealed class ClassPromptBank : IDisposable
{
    private readonly Tensor[] _rows;
    private readonly Tensor[][] _state;  // per block: the rule's state tensors (C×n_i×D), allocated at the first step
    private readonly long[] _steps;      // per block: bank steps taken
    private readonly UpdateRule _rule;
    private readonly double _decay;

    /// <param name="numClasses">C.</param>
    /// <param name="numPrompts">num_p_prompt.</param>
    /// <param name="depth">p_prompt_depth (clamped to the backbone depth by the caller).</param>
    /// <param name="blockStep">prompt_p_block_step: block i uses max(num_p_prompt − i·step, 0) prompts.</param>
    /// <param name="dim">Token width D.</param>
    /// <param name="optim">The model optimiser's kind.</param>
    /// <param name="decay">Weight decay.</param>
    /// <param name="momentum">SGD momentum (<c>sdg_momentum</c>).</param>
    public ClassPromptBank(int numClasses, int numPrompts, int depth, int blockStep, int dim, OptimizerKind optim, double decay, double momentum = 0.9)
    {
        _rule = UpdateRule.Create(optim, momentum);
        _decay = decay;
        NumClasses = numClasses;
        PromptsPerBlock = ClassPromptLayout.PromptsPerBlock(numPrompts, depth, blockStep);
        _rows = ClassPromptLayout.InitialRows(numClasses, numPrompts, dim, PromptsPerBlock).Select(t => t.DetachFromDisposeScope()).ToArray();
        _state = new Tensor[_rows.Length][];
        _steps = new long[_rows.Length];
    }

    public int NumClasses { get; }

    /// <summary>Prompts block i sees (only blocks with at least one prompt are listed).</summary>
    public IReadOnlyList<int> PromptsPerBlock { get; }

    /// <summary>The C×n_i×D rows of block i (CPU, fp32). Read-only by convention.</summary>
    public IReadOnlyList<Tensor> Rows => _rows;

    public long ElementCount => _rows.Sum(r => r.numel());

    /// <summary>Bank steps taken by block <paramref name="block"/> (the global step count of its optimiser state).</summary>
    public long StepCount(int block) => _steps[block];

    /// <summary>Copies the batch's rows (<paramref name="classes"/>, distinct, any device) into fresh leaf tensors on <paramref name="device"/> that require grad.</summary>
    public ClassPromptBatch Gather(Tensor classes, Device device)
    {
        using var scope = NewDisposeScope();
        var idx = classes.to(ScalarType.Int64).cpu();
        var leaves = _rows.Select(r =>
        {
            var leaf = r.index_select(0, idx).to(device).detach().requires_grad_(true);
            return leaf.DetachFromDisposeScope();
        }).ToArray();
        return new ClassPromptBatch(idx.clone().DetachFromDisposeScope(), leaves);
    }

    /// <summary>One optimiser step with learning rate <paramref name="lr"/> on the batch rows from their leaves' gradients; writes rows and moments back. Disposes <paramref name="batch"/>.</summary>
    public void Apply(ClassPromptBatch batch, double lr)
    {
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var idx = batch.Classes;
            for (var i = 0; i < _rows.Length; i++)
            {
                using var gradRef = batch.Leaves[i].grad;
                if (gradRef is null) continue;   // as torch.optim: no gradient, no step
                var g = gradRef.to(ScalarType.Float32).cpu();
                var state = _state[i] ??= _rule.StateNames.Select(_ => zeros_like(_rows[i]).DetachFromDisposeScope()).ToArray();
                var p = _rows[i].index_select(0, idx);
                var rowState = state.Select(s => s.index_select(0, idx)).ToArray();
                _steps[i]++;
                _rule.Update(p, g, rowState, _steps[i], lr, _decay);
                _rows[i].index_copy_(0, idx, p);
                for (var k = 0; k < state.Length; k++) state[k].index_copy_(0, idx, rowState[k]);
            }
        }
        batch.Dispose();
    }

    /// <summary>The optimiser state (copies; the caller disposes them) as named tensors for exact resume:
    /// <c>step.{i}</c> (the block's global step count) and <c>{state name}.{i}</c> per block.</summary>
    public Dictionary<string, Tensor> OptimizerState()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (var i = 0; i < _rows.Length; i++)
        {
            if (_state[i] is not { } s) continue;
            state[$"step.{i}"] = tensor(new[] { _steps[i] }).DetachFromDisposeScope();
            for (var k = 0; k < s.Length; k++) state[$"{_rule.StateNames[k]}.{i}"] = s[k].clone().DetachFromDisposeScope();
        }
        return state;
    }

    /// <summary>Restores what <see cref="OptimizerState"/> returned (names and shapes must match).</summary>
    public void LoadOptimizerState(IReadOnlyDictionary<string, Tensor> state)
    {
        if (state.ContainsKey("steps"))
            throw new InvalidDataException("the class-prompt optimiser state was written by an older VptSp (one step count per class); it cannot be resumed with the reference's global step count");
        var known = new HashSet<string>(StringComparer.Ordinal);
        var plan = new List<(int Block, long Step, Tensor[] Values)>();
        for (var i = 0; i < _rows.Length; i++)
        {
            if (!state.TryGetValue($"step.{i}", out var step)) continue;
            known.Add($"step.{i}");
            var values = new Tensor[_rule.StateNames.Count];
            for (var k = 0; k < values.Length; k++)
            {
                var name = $"{_rule.StateNames[k]}.{i}";
                if (!state.TryGetValue(name, out var v)) throw new InvalidDataException($"bank optimiser state lacks {name}");
                if (!v.shape.SequenceEqual(_rows[i].shape))
                    throw new InvalidDataException($"bank optimiser state {name}: got [{string.Join(", ", v.shape)}], expected [{string.Join(", ", _rows[i].shape)}]");
                known.Add(name);
                values[k] = v;
            }
            plan.Add((i, step.to(ScalarType.Int64).cpu().item<long>(), values));
        }
        var unknown = state.Keys.Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new InvalidDataException($"bank optimiser state has entries a {_rule.Name} bank does not know: {string.Join(", ", unknown.Take(5))}");
        using var _ = no_grad();
        for (var i = 0; i < _rows.Length; i++)
        {
            if (_state[i] is { } old) foreach (var t in old) t.Dispose();
            _state[i] = null!;
            _steps[i] = 0;
        }
        foreach (var (block, step, values) in plan)
        {
            _steps[block] = step;
            _state[block] = values.Select(v => v.to(ScalarType.Float32).cpu().clone().DetachFromDisposeScope()).ToArray();
        }
    }

    /// <summary>Replaces the rows (artefact loading); shapes must match.</summary>
    public void Load(IReadOnlyList<Tensor> rows)
    {
        if (rows.Count != _rows.Length) throw new ArgumentException($"bank has {_rows.Length} prompt blocks, got {rows.Count}");
        using var _ = no_grad();
        for (var i = 0; i < rows.Count; i++)
        {
            if (!rows[i].shape.SequenceEqual(_rows[i].shape))
                throw new ArgumentException($"p_prompts.{i}: got [{string.Join(", ", rows[i].shape)}], bank holds [{string.Join(", ", _rows[i].shape)}]");
            _rows[i].copy_(rows[i]);
        }
    }

    public void Dispose()
    {
        foreach (var t in _rows) t.Dispose();
        foreach (var s in _state) if (s is not null) foreach (var t in s) t.Dispose();
    }
}

/// <summary>The class prompts of one batch: leaves (U×n_i×D, requires grad) in the order of <see cref="Classes"/>.</summary>
public sealed class ClassPromptBatch : IDisposable
{
    internal ClassPromptBatch(Tensor classes, Tensor[] leaves)
    {
        Classes = classes;
        Leaves = leaves;
    }

    /// <summary>Distinct class ids of the batch (CPU int64), the row order of <see cref="Leaves"/>.</summary>
    public Tensor Classes { get; }

    public IReadOnlyList<Tensor> Leaves { get; }

    public bool IsDisposed { get; private set; }

    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        Classes.Dispose();
        foreach (var l in Leaves) l.Dispose();
    }
}
