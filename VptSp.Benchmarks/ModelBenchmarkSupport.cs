using VptSp.Core.Modeling;
using VptSp.Core.Runtime;
using static TorchSharp.torch;

namespace VptSp.Benchmarks;

/// <summary>One VPTSP-G training step as a trainer would run it (forward, a proxy loss, backward, two optimisers, the model's after-step hook).</summary>
internal sealed class ModelStepper : IDisposable
{
    private readonly MetricModel _model;
    private readonly optim.Optimizer _opt;
    private readonly optim.Optimizer _proxyOpt;
    private readonly Tensor _images;
    private readonly Tensor _labels;
    private const double Lr = 1e-3;

    public ModelStepper(MetricModel model, int classesPerBatch, int samplesPerClass, int numClasses, int seed)
    {
        _model = model;
        _model.train();
        _opt = optim.AdamW(model.ModelParameters(), Lr);
        _proxyOpt = optim.AdamW(model.ProxyParameters(), 1e-2);
        var gen = new Generator((ulong)seed);
        var size = model.Spec.ImgSize;
        _images = randn(new long[] { classesPerBatch * samplesPerClass, 3, size, size }, generator: gen);
        var rng = new Random(seed);
        var classes = Enumerable.Range(0, numClasses).OrderBy(_ => rng.Next()).Take(classesPerBatch).ToArray();
        _labels = tensor(classes.SelectMany(c => Enumerable.Repeat((long)c, samplesPerClass)).ToArray());
    }

    public float Step()
    {
        using var scope = NewDisposeScope();
        _opt.zero_grad();
        _proxyOpt.zero_grad();
        var o = _model.ForwardTrain(_images, _labels);
        // stand-in for Proxy-Anchor: scaled cosine soft-max over all proxies (same tensors, same shapes)
        var sims = o.Embeddings.mm(nn.functional.normalize(o.AllProxies, dim: -1).t()).Times(16);
        var loss = sims.logsumexp(1).mean() - o.Embeddings.mul(o.BatchProxies.repeat_interleave(_images.shape[0] / o.BatchProxies.shape[0], dim: 0)).sum(1).mean().Times(16);
        loss.backward();
        _opt.step();
        _proxyOpt.step();
        _model.AfterStep(Lr);
        return loss.item<float>();
    }

    public void Dispose()
    {
        _images.Dispose();
        _labels.Dispose();
        _opt.Dispose();
        _proxyOpt.Dispose();
    }
}
