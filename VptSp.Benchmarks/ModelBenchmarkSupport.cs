using VptSp.Core.Modeling;
using VptSp.Core.Training.Optimization;
using VptSp.Core.Runtime;
using static TorchSharp.torch;

namespace VptSp.Benchmarks;

/// <summary>One VPTSP-G training step as a trainer would run it (forward, a proxy loss, backward, two optimisers, the model's after-step hook).</summary>
internal sealed class ModelStepper : IDisposable
{
    private readonly MetricModel _model;
    private readonly ParameterOptimizer _opt;
    private readonly ParameterOptimizer _proxyOpt;
    private readonly Tensor _images;
    private readonly Tensor _labels;
    private const double Lr = 1e-3;

    public ModelStepper(MetricModel model, int classesPerBatch, int samplesPerClass, int numClasses, int seed)
    {
        _model = model;
        _model.train();
        _opt = new ParameterOptimizer(new AdamWRule(), [new OptimizerGroup(model.ModelParameters(), Lr, 0)]);
        _proxyOpt = new ParameterOptimizer(new AdamWRule(), [new OptimizerGroup(model.ProxyParameters(), 1e-2, 0)]);
        var gen = new Generator((ulong)seed);
        var size = model.Spec.ImgSize;
        // drawn on the CPU (same values on every device), then moved to the model's device
        using (var images = randn(new long[] { classesPerBatch * samplesPerClass, 3, size, size }, generator: gen))
            _images = images.to(model.Device).DetachFromDisposeScope();
        var rng = new Random(seed);
        var classes = Enumerable.Range(0, numClasses).OrderBy(_ => rng.Next()).Take(classesPerBatch).ToArray();
        using (var labels = tensor(classes.SelectMany(c => Enumerable.Repeat((long)c, samplesPerClass)).ToArray()))
            _labels = labels.to(model.Device).DetachFromDisposeScope();
    }

    public float Step() => StepTimed().Loss;

    /// <summary>Copies <paramref name="images"/> (same shape) into the stepper's batch, as a loader would hand over a new one.</summary>
    public void LoadImages(Tensor images)
    {
        using var _ = no_grad();
        _images.copy_(images);
    }

    /// <summary>One step, timed in two parts: forward with the loss, then backward with the optimiser steps.</summary>
    public (float Loss, double ForwardMs, double BackwardMs) StepTimed()
    {
        using var scope = NewDisposeScope();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _opt.ZeroGrad();
        _proxyOpt.ZeroGrad();
        var o = _model.ForwardTrain(_images, _labels);
        // stand-in for Proxy-Anchor: scaled cosine soft-max over all proxies (same tensors, same shapes)
        var sims = o.Embeddings.mm(nn.functional.normalize(o.AllProxies, dim: -1).t()).Times(16);
        var loss = sims.logsumexp(1).mean() - o.Embeddings.mul(o.BatchProxies.repeat_interleave(_images.shape[0] / o.BatchProxies.shape[0], dim: 0)).sum(1).mean().Times(16);
        var forward = clock.Elapsed.TotalMilliseconds;
        loss.backward();
        _opt.Step();
        _proxyOpt.Step();
        _model.AfterStep(Lr);
        var value = loss.item<float>();
        return (value, forward, clock.Elapsed.TotalMilliseconds - forward);
    }

    /// <summary>Milliseconds of one evaluation embedding of the batch (no gradients, eval mode).</summary>
    public double EmbedMs()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var e = _model.Embed(_images)) { }
        return clock.Elapsed.TotalMilliseconds;
    }

    public void Dispose()
    {
        _images.Dispose();
        _labels.Dispose();
        _opt.Dispose();
        _proxyOpt.Dispose();
    }
}
