using TorchSharp;
using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Core.Modeling;

/// <summary>
/// Memory bank of the per-class proxy prompts (SPEC §2.4, §3.6). The C×n_i×D prompt rows and their optimiser
/// state live on the CPU; a step gathers only the batch's classes into small leaf tensors on the model device
/// (<see cref="Gather"/>), the loss back-propagates into those leaves, and <see cref="Apply"/> runs the optimiser
/// (AdamW, Adam or SGD with momentum 0.9, PyTorch's formulas, per-row step counts) on those rows only and
/// writes them back. Nothing of size C is read or written during a step.
/// </summary>
public sealed class ClassPromptBank : IDisposable
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8, SgdMomentum = 0.9;
    // Held for the process (docs/native-lifetimes.md): an implicit Scalar can be freed during the native call.
    private static readonly Scalar Beta1Scalar = Beta1.ToScalar(), Beta2Scalar = Beta2.ToScalar(), EpsS = Eps.ToScalar(), SgdMomentumS = SgdMomentum.ToScalar();
    private static readonly Scalar OneMinusBeta1 = (1 - Beta1).ToScalar(), OneMinusBeta2 = (1 - Beta2).ToScalar();

    private readonly Tensor[] _rows;
    private readonly Tensor?[] _first;   // exp_avg (adam/adamw) or momentum buffer (sgd)
    private readonly Tensor?[] _second;  // exp_avg_sq (adam/adamw)
    private readonly Tensor _steps;      // C, float64: optimiser steps taken by each class
    private readonly string _optim;
    private readonly double _decay;

    /// <param name="numClasses">C.</param>
    /// <param name="numPrompts">num_p_prompt.</param>
    /// <param name="depth">p_prompt_depth (clamped to the backbone depth by the caller).</param>
    /// <param name="blockStep">prompt_p_block_step: block i uses max(num_p_prompt − i·step, 0) prompts.</param>
    /// <param name="dim">Token width D.</param>
    /// <param name="optim">"adamw", "adam" or "sgd".</param>
    /// <param name="decay">Weight decay.</param>
    public ClassPromptBank(int numClasses, int numPrompts, int depth, int blockStep, int dim, string optim, double decay)
    {
        if (optim is not ("adamw" or "adam" or "sgd")) throw new ArgumentException($"bank optimiser must be adamw, adam or sgd (got '{optim}')");
        _optim = optim;
        _decay = decay;
        NumClasses = numClasses;
        PromptsPerBlock = Enumerable.Range(0, depth).Select(i => Math.Max(numPrompts - i * blockStep, 0)).TakeWhile(n => n > 0).ToArray();
        // xavier-normal over the logical C×num_p_prompt×D tensor of each block (fan_in = n·D, fan_out = C·D)
        var std = Math.Sqrt(2.0 / ((double)numPrompts * dim + (double)numClasses * dim));
        _rows = PromptsPerBlock.Select(n =>
        {
            var t = empty(new long[] { numClasses, n, dim });
            Init.Normal(t, 0, std);
            return t.DetachFromDisposeScope();
        }).ToArray();
        _first = new Tensor?[_rows.Length];
        _second = new Tensor?[_rows.Length];
        _steps = zeros(numClasses, dtype: ScalarType.Float64).DetachFromDisposeScope();
    }

    public int NumClasses { get; }

    /// <summary>Prompts block i sees (only blocks with at least one prompt are listed).</summary>
    public IReadOnlyList<int> PromptsPerBlock { get; }

    /// <summary>The C×n_i×D rows of block i (CPU, fp32). Read-only by convention.</summary>
    public IReadOnlyList<Tensor> Rows => _rows;

    public long ElementCount => _rows.Sum(r => r.numel());

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

    /// <summary>One optimiser step with learning rate <paramref name="lr"/> on the batch rows from their leaves' gradients; writes them back. Disposes <paramref name="batch"/>.</summary>
    public void Apply(ClassPromptBatch batch, double lr)
    {
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var idx = batch.Classes;
            using var lrS = lr.ToScalar();
            using var decayS = _decay.ToScalar();
            using var shrink = (1 - lr * _decay).ToScalar();
            var t = _steps.index_select(0, idx).Plus(Scalars.One);            // U
            _steps.index_copy_(0, idx, t);
            var tv = t.view(-1, 1, 1);
            for (var i = 0; i < _rows.Length; i++)
            {
                var leaf = batch.Leaves[i];
                using var gradRef = leaf.grad;
                if (gradRef is null) continue;
                var g = gradRef.to(ScalarType.Float32).cpu();
                var p = _rows[i].index_select(0, idx);
                if (_optim == "sgd")
                {
                    if (_decay != 0) g = g.Plus(p.mul(decayS));
                    var buf = (_first[i] ??= zeros_like(_rows[i]).DetachFromDisposeScope()).index_select(0, idx).mul(SgdMomentumS).Plus(g);
                    _first[i]!.index_copy_(0, idx, buf);
                    p = p - buf.mul(lrS);
                }
                else
                {
                    if (_optim == "adamw") p = p.mul(shrink);
                    else if (_decay != 0) g = g.Plus(p.mul(decayS));
                    var m = (_first[i] ??= zeros_like(_rows[i]).DetachFromDisposeScope()).index_select(0, idx).mul(Beta1Scalar).Plus(g.mul(OneMinusBeta1));
                    var v = (_second[i] ??= zeros_like(_rows[i]).DetachFromDisposeScope()).index_select(0, idx).mul(Beta2Scalar).Plus((g * g).mul(OneMinusBeta2));
                    _first[i]!.index_copy_(0, idx, m);
                    _second[i]!.index_copy_(0, idx, v);
                    var bc1 = pow(tensor(Beta1), tv).RSub(Scalars.One);
                    var bc2 = pow(tensor(Beta2), tv).RSub(Scalars.One);
                    var denom = (v.sqrt() / bc2.sqrt()).Plus(EpsS);
                    p = p - bc1.reciprocal().mul(lrS) * (m / denom);
                }
                _rows[i].index_copy_(0, idx, p.to(ScalarType.Float32));
            }
        }
        batch.Dispose();
    }

    /// <summary>The optimiser state (moments or momentum buffers, per-class step counts) as named tensors, for exact resume.</summary>
    public Dictionary<string, Tensor> OptimizerState()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal) { ["steps"] = _steps.clone() };
        for (var i = 0; i < _rows.Length; i++)
        {
            if (_first[i] is { } m) state[$"first.{i}"] = m.clone();
            if (_second[i] is { } v) state[$"second.{i}"] = v.clone();
        }
        return state;
    }

    /// <summary>Restores what <see cref="OptimizerState"/> returned (shapes must match).</summary>
    public void LoadOptimizerState(IReadOnlyDictionary<string, Tensor> state)
    {
        using var _ = no_grad();
        void Copy(Tensor target, Tensor value, string name)
        {
            if (!value.shape.SequenceEqual(target.shape))
                throw new ArgumentException($"bank optimiser state {name}: got [{string.Join(", ", value.shape)}], expected [{string.Join(", ", target.shape)}]");
            target.copy_(value);
        }
        if (state.TryGetValue("steps", out var steps)) Copy(_steps, steps, "steps");
        for (var i = 0; i < _rows.Length; i++)
        {
            if (state.TryGetValue($"first.{i}", out var m)) Copy(_first[i] ??= zeros_like(_rows[i]).DetachFromDisposeScope(), m, $"first.{i}");
            if (state.TryGetValue($"second.{i}", out var v)) Copy(_second[i] ??= zeros_like(_rows[i]).DetachFromDisposeScope(), v, $"second.{i}");
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
        foreach (var t in _first) t?.Dispose();
        foreach (var t in _second) t?.Dispose();
        _steps.Dispose();
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
