using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VptSp.Core.Training.Optimization;

/// <summary>Parameters that share a learning rate and weight decay; the schedule changes <see cref="LearningRate"/> at run time.</summary>
public sealed class OptimizerGroup(IReadOnlyList<Parameter> parameters, double learningRate, double weightDecay)
{
    public IReadOnlyList<Parameter> Parameters { get; } = parameters;
    public double LearningRate { get; set; } = learningRate;
    public double WeightDecay { get; set; } = weightDecay;
}

/// <summary>
/// An optimiser over parameter groups with one <see cref="UpdateRule"/>, as <c>torch.optim</c> runs it: per-parameter
/// step counts and state tensors created at a parameter's first step, parameters without a gradient skipped, gradients
/// cleared to none. The state saves and loads as named tensors for exact resume.
/// </summary>
public sealed class ParameterOptimizer : IDisposable
{
    private readonly List<OptimizerGroup> _groups;
    private readonly Parameter[] _all;
    private readonly long[] _steps;
    private readonly Tensor[]?[] _state;

    public ParameterOptimizer(UpdateRule rule, IEnumerable<OptimizerGroup> groups)
    {
        Rule = rule ?? throw new ArgumentNullException(nameof(rule));
        _groups = groups.ToList();
        _all = _groups.SelectMany(g => g.Parameters).ToArray();
        if (_all.Distinct(ReferenceEqualityComparer.Instance).Count() != _all.Length)
            throw new ArgumentException("a parameter appears in more than one optimiser group (or twice in one)");
        _steps = new long[_all.Length];
        _state = new Tensor[]?[_all.Length];
    }

    public UpdateRule Rule { get; }

    public IReadOnlyList<OptimizerGroup> Groups => _groups;

    /// <summary>Step count of the parameter at position <paramref name="index"/> (groups in order, parameters in order).</summary>
    public long StepCount(int index) => _steps[index];

    /// <summary>Sets every parameter's gradient to none (PyTorch's <c>zero_grad(set_to_none=True)</c>, which the reference calls).</summary>
    public void ZeroGrad()
    {
        foreach (var p in _all) p.grad = null;
    }

    public void Step()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var index = 0;
        foreach (var group in _groups)
        {
            foreach (var p in group.Parameters)
            {
                var i = index++;
                using var grad = p.grad;
                if (grad is null) continue;
                var state = _state[i] ??= Rule.StateNames.Select(_ => zeros_like(p).DetachFromDisposeScope()).ToArray();
                _steps[i]++;
                Rule.Update(p, grad, state, _steps[i], group.LearningRate, group.WeightDecay);
            }
        }
    }

    /// <summary>The state as named tensors (copies, the caller disposes them): <c>{i}.step</c> and <c>{i}.{state name}</c> per parameter index.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var dict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (var i = 0; i < _all.Length; i++)
        {
            if (_state[i] is not { } state) continue;
            dict[$"{i}.step"] = tensor(new[] { _steps[i] }).DetachFromDisposeScope();
            for (var k = 0; k < state.Length; k++)
                dict[$"{i}.{Rule.StateNames[k]}"] = state[k].detach().cpu().clone().DetachFromDisposeScope();
        }
        return dict;
    }

    /// <summary>Restores what <see cref="StateDict"/> returned, checking every name and shape; parameters absent from it start fresh.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> dict)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        var loaded = new (long Step, Tensor[] State)?[_all.Length];
        for (var i = 0; i < _all.Length; i++)
        {
            if (!dict.TryGetValue($"{i}.step", out var stepTensor)) continue;
            known.Add($"{i}.step");
            if (stepTensor.numel() != 1) throw new InvalidDataException($"optimiser state {i}.step must hold one number");
            var state = new Tensor[Rule.StateNames.Count];
            for (var k = 0; k < state.Length; k++)
            {
                var name = $"{i}.{Rule.StateNames[k]}";
                if (!dict.TryGetValue(name, out var value)) throw new InvalidDataException($"optimiser state lacks {name}");
                if (!value.shape.SequenceEqual(_all[i].shape))
                    throw new InvalidDataException($"optimiser state {name}: [{string.Join(", ", value.shape)}], parameter [{string.Join(", ", _all[i].shape)}]");
                known.Add(name);
                state[k] = value;
            }
            loaded[i] = (stepTensor.to(ScalarType.Int64).cpu().item<long>(), state);
        }
        var unknown = dict.Keys.Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new InvalidDataException($"optimiser state has entries this {Rule.Name} optimiser does not know: {string.Join(", ", unknown.Take(5))}");
        using var noGrad = no_grad();
        for (var i = 0; i < _all.Length; i++)
        {
            DisposeState(i);
            _steps[i] = 0;
            if (loaded[i] is not { } l) continue;
            _steps[i] = l.Step;
            _state[i] = l.State.Select(v => v.to(_all[i].dtype, _all[i].device).clone().DetachFromDisposeScope()).ToArray();
        }
    }

    public void Save(string file)
    {
        var dict = StateDict();
        try { TorchSharp.PyBridge.Safetensors.SaveStateDict(file, dict); }
        finally { foreach (var t in dict.Values) t.Dispose(); }
    }

    public void Load(string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"checkpoint lacks the optimiser state {Path.GetFileName(file)}", file);
        var dict = TorchSharp.PyBridge.Safetensors.LoadStateDict(file);
        try { LoadStateDict(dict); }
        finally { foreach (var t in dict.Values) t.Dispose(); }
    }

    public void Dispose()
    {
        for (var i = 0; i < _state.Length; i++) DisposeState(i);
    }

    private void DisposeState(int i)
    {
        if (_state[i] is not { } s) return;
        foreach (var t in s) t.Dispose();
        _state[i] = null;
    }
}
