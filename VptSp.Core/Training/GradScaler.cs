using TorchSharp;
using static TorchSharp.torch;

namespace VptSp.Core.Training;

/// <summary>
/// Dynamic loss scaling with the semantics of <c>torch.cuda.amp.GradScaler</c> (which TorchSharp 0.107 lacks), written
/// device-agnostically: the loss is multiplied by <see cref="Scale"/> before backward; before each optimiser steps, its
/// gradients are divided by the scale and checked; an optimiser whose gradients hold an inf or NaN does not step; after the
/// step <see cref="Update"/> multiplies the scale by <c>backoff</c> when any optimiser found one, else by <c>growth</c> after
/// <c>growthInterval</c> consecutive clean steps. A disabled scaler passes the loss through and always steps (as PyTorch's).
/// </summary>
public sealed class GradScaler
{
    private readonly double _growth;
    private readonly double _backoff;
    private readonly int _growthInterval;
    private bool _foundInfThisStep;

    /// <param name="enabled">False makes every call a plain pass-through.</param>
    /// <param name="initScale">Initial scale (PyTorch: 2¹⁶).</param>
    /// <param name="growthFactor">Scale multiplier after <paramref name="growthInterval"/> clean steps (PyTorch: 2).</param>
    /// <param name="backoffFactor">Scale multiplier after a step with non-finite gradients (PyTorch: 0.5).</param>
    /// <param name="growthInterval">Consecutive clean steps before the scale grows (PyTorch: 2000).</param>
    public GradScaler(bool enabled, double initScale = 65536.0, double growthFactor = 2.0, double backoffFactor = 0.5, int growthInterval = 2000)
    {
        if (!(initScale > 0) || !double.IsFinite(initScale)) throw new ArgumentOutOfRangeException(nameof(initScale), initScale, "the initial loss scale must be a positive finite number");
        if (!(growthFactor > 1)) throw new ArgumentOutOfRangeException(nameof(growthFactor), growthFactor, "the growth factor must exceed 1");
        if (!(backoffFactor is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(backoffFactor), backoffFactor, "the backoff factor must lie in (0, 1)");
        if (growthInterval < 1) throw new ArgumentOutOfRangeException(nameof(growthInterval), growthInterval, "the growth interval must be at least 1");
        Enabled = enabled;
        Scale = initScale;
        _growth = growthFactor;
        _backoff = backoffFactor;
        _growthInterval = growthInterval;
    }

    public bool Enabled { get; }

    /// <summary>The current loss scale (meaningless when disabled).</summary>
    public double Scale { get; private set; }

    /// <summary>Clean steps since the scale last changed.</summary>
    public int GrowthTracker { get; private set; }

    /// <summary>Steps skipped so far because of non-finite gradients.</summary>
    public long SkippedSteps { get; private set; }

    /// <summary><paramref name="loss"/> × <see cref="Scale"/> in fp32 (a new tensor in the caller's dispose scope), or the loss itself when disabled.</summary>
    public Tensor ScaleLoss(Tensor loss)
    {
        if (!Enabled) return loss;
        using var s = tensor(Scale, ScalarType.Float32, loss.device);
        return loss.to(ScalarType.Float32).mul(s);
    }

    /// <summary>
    /// Divides the gradients of <paramref name="tensors"/> by the scale in place, then steps <paramref name="optimizer"/> unless
    /// one of them is non-finite. Returns whether it stepped. Call once per optimiser per step, then <see cref="Update"/>.
    /// </summary>
    public bool Step(Optimization.ParameterOptimizer? optimizer, IEnumerable<Tensor> tensors)
    {
        if (optimizer is null) return false;
        if (!Enabled)
        {
            optimizer.Step();
            return true;
        }
        if (!UnscaleAndCheck(tensors))
        {
            _foundInfThisStep = true;
            return false;
        }
        optimizer.Step();
        return true;
    }

    /// <summary>Adjusts the scale after all optimisers of a step were offered their step.</summary>
    public void Update()
    {
        if (!Enabled) return;
        if (_foundInfThisStep)
        {
            Scale *= _backoff;
            GrowthTracker = 0;
            SkippedSteps++;
        }
        else if (++GrowthTracker >= _growthInterval)
        {
            Scale *= _growth;
            GrowthTracker = 0;
        }
        _foundInfThisStep = false;
    }

    /// <summary>Unscales every gradient in place; true when all of them are finite (one host sync for the lot).</summary>
    private bool UnscaleAndCheck(IEnumerable<Tensor> tensors)
    {
        using var scope = NewDisposeScope();
        Tensor? nonFinite = null;
        foreach (var t in tensors)
        {
            using var g = t.grad;
            if (g is null) continue;
            using var inv = tensor(1.0 / Scale, g.dtype, g.device);
            g.mul_(inv);
            var bad = g.isfinite().logical_not().any();
            nonFinite = nonFinite is null ? bad : nonFinite.logical_or(bad);
        }
        return nonFinite is null || !nonFinite.item<bool>();
    }
}
