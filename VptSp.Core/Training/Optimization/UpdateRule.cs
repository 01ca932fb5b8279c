using VptSp.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace VptSp.Core.Training.Optimization;

/// <summary>
/// One optimiser's per-tensor update, written once and used both by <see cref="ParameterOptimizer"/> (parameter groups)
/// and by the class-prompt memory bank (rows gathered from the bank). The formulas and their order are PyTorch's
/// single-tensor implementations (<c>torch.optim.SGD/Adam/AdamW</c>, foreach off, amsgrad/nesterov/maximize off).
/// Every <see cref="Scalar"/> is created explicitly and disposed after the native call that reads it.
/// </summary>
public abstract class UpdateRule
{
    /// <summary>The config's name: "sgd", "adam" or "adamw".</summary>
    public abstract string Name { get; }

    /// <summary>Names of the state tensors the rule keeps per parameter (each shaped like the parameter, zero at the start).</summary>
    public abstract IReadOnlyList<string> StateNames { get; }

    /// <summary>Whether the rule uses the step count (bias correction); SGD does not.</summary>
    public abstract bool CountsSteps { get; }

    /// <summary>
    /// Applies one step in place, under <c>no_grad</c> by the caller: <paramref name="param"/> and the tensors of
    /// <paramref name="state"/> (in <see cref="StateNames"/> order) are updated; <paramref name="grad"/> is not changed.
    /// <paramref name="step"/> is the step count including this step (1 on the first).
    /// </summary>
    public abstract void Update(Tensor param, Tensor grad, IReadOnlyList<Tensor> state, long step, double lr, double weightDecay);

    /// <summary>The rule a config names; <paramref name="momentum"/> is SGD's (the config's <c>sdg_momentum</c>).</summary>
    public static UpdateRule Create(OptimizerKind optim, double momentum = 0.9) => optim switch
    {
        OptimizerKind.Sgd => new SgdRule(momentum),
        OptimizerKind.Adam => new AdamRule(),
        OptimizerKind.AdamW => new AdamWRule(),
        _ => throw new ArgumentOutOfRangeException(nameof(optim), optim, "unknown optimiser"),
    };

    protected static void CheckState(IReadOnlyList<Tensor> state, int count, string name)
    {
        if (state.Count != count) throw new ArgumentException($"{name} keeps {count} state tensors, got {state.Count}");
    }
}

/// <summary>SGD with momentum (dampening 0, no Nesterov) and L2 weight decay added to the gradient, as <c>torch.optim.SGD</c>.</summary>
public sealed class SgdRule : UpdateRule
{
    private static readonly string[] WithMomentum = ["momentum_buffer"];

    public SgdRule(double momentum)
    {
        if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "SGD momentum must not be negative");
        Momentum = momentum;
    }

    public double Momentum { get; }

    public override string Name => "sgd";

    public override IReadOnlyList<string> StateNames => Momentum == 0 ? [] : WithMomentum;

    public override bool CountsSteps => false;

    public override void Update(Tensor param, Tensor grad, IReadOnlyList<Tensor> state, long step, double lr, double weightDecay)
    {
        CheckState(state, StateNames.Count, Name);
        using var scope = NewDisposeScope();
        var d = grad;
        if (weightDecay != 0)
        {
            using var wd = weightDecay.ToScalar();
            d = grad.add(param, wd);
        }
        if (Momentum != 0)
        {
            // torch starts the buffer as a copy of d on the first step; a zero buffer times momentum plus d is the same value
            using var m = Momentum.ToScalar();
            using var one = 1.0.ToScalar();
            d = state[0].mul_(m).add_(d, one);
        }
        using var negLr = (-lr).ToScalar();
        param.add_(d, negLr);
    }
}

/// <summary>The Adam family's moment update and bias-corrected step, shared by <see cref="AdamRule"/> and <see cref="AdamWRule"/>.</summary>
public abstract class AdamFamilyRule : UpdateRule
{
    private static readonly string[] Moments = ["exp_avg", "exp_avg_sq"];

    protected AdamFamilyRule(double beta1, double beta2, double eps)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
    }

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }

    public override IReadOnlyList<string> StateNames => Moments;

    public override bool CountsSteps => true;

    /// <summary>exp_avg ← β1·exp_avg + (1 − β1)·g; exp_avg_sq ← β2·exp_avg_sq + (1 − β2)·g²;
    /// param ← param − lr/(1 − β1^t) · exp_avg / (√exp_avg_sq / √(1 − β2^t) + ε).</summary>
    protected void MomentStep(Tensor param, Tensor grad, IReadOnlyList<Tensor> state, long step, double lr)
    {
        CheckState(state, 2, Name);
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), step, "the Adam step count starts at 1");
        using var scope = NewDisposeScope();
        var (expAvg, expAvgSq) = (state[0], state[1]);
        using (var b1 = Beta1.ToScalar())
        using (var oneMinusB1 = (1 - Beta1).ToScalar())
            expAvg.mul_(b1).add_(grad, oneMinusB1);
        using (var b2 = Beta2.ToScalar())
        using (var oneMinusB2 = (1 - Beta2).ToScalar())
            expAvgSq.mul_(b2).addcmul_(grad, grad, oneMinusB2);
        var biasCorrection1 = 1 - Math.Pow(Beta1, step);
        var biasCorrection2 = 1 - Math.Pow(Beta2, step);
        using var bc2Sqrt = Math.Sqrt(biasCorrection2).ToScalar();
        using var eps = Eps.ToScalar();
        var denom = expAvgSq.sqrt().div_(bc2Sqrt).PlusInPlace(eps);
        using var negStepSize = (-(lr / biasCorrection1)).ToScalar();
        param.addcdiv_(expAvg, denom, negStepSize);
    }
}

/// <summary><c>torch.optim.Adam</c>: L2 weight decay added to the gradient before the moments.</summary>
public sealed class AdamRule(double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8) : AdamFamilyRule(beta1, beta2, eps)
{
    public override string Name => "adam";

    public override void Update(Tensor param, Tensor grad, IReadOnlyList<Tensor> state, long step, double lr, double weightDecay)
    {
        using var scope = NewDisposeScope();
        var g = grad;
        if (weightDecay != 0)
        {
            using var wd = weightDecay.ToScalar();
            g = grad.add(param, wd);
        }
        MomentStep(param, g, state, step, lr);
    }
}

/// <summary><c>torch.optim.AdamW</c>: decoupled weight decay, param ← param·(1 − lr·wd) before the moment step.</summary>
public sealed class AdamWRule(double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8) : AdamFamilyRule(beta1, beta2, eps)
{
    public override string Name => "adamw";

    public override void Update(Tensor param, Tensor grad, IReadOnlyList<Tensor> state, long step, double lr, double weightDecay)
    {
        using (var keep = (1 - lr * weightDecay).ToScalar())
            param.mul_(keep);
        MomentStep(param, grad, state, step, lr);
    }
}
