using TorchSharp.Modules;
using VptSp.Core.Training.Optimization;

namespace VptSp.Core.Training;

/// <summary>
/// The run's two optimisers, VptSp's own (<see cref="ParameterOptimizer"/>, PyTorch's formulas with explicit
/// Scalar lifetimes): the model's trainable parameters with <c>lr</c>/<c>decay</c>, and the proxy bias with
/// <c>lr_proxy</c>/<c>decay</c>, both of the config's kind. Learning rates are set per epoch from <see cref="LrSchedule"/>.
/// </summary>
public sealed class OptimizerSet : IDisposable
{
    internal const string ModelStateFile = "optimizer_model.safetensors";
    internal const string ProxyStateFile = "optimizer_proxy.safetensors";

    private readonly TrainingConfig _config;

    public OptimizerSet(TrainingConfig config, IReadOnlyList<Parameter> modelParameters, IReadOnlyList<Parameter> proxyParameters)
    {
        _config = config;
        Model = modelParameters.Count == 0 ? null : Create(config, modelParameters, config.Lr);
        Proxy = proxyParameters.Count == 0 ? null : Create(config, proxyParameters, config.LrProxy);
    }

    public ParameterOptimizer? Model { get; }
    public ParameterOptimizer? Proxy { get; }

    /// <summary>The model group's learning rate in the current epoch.</summary>
    public double ModelLr { get; private set; }

    public void SetEpoch(int epoch)
    {
        ModelLr = LrSchedule.At(_config, _config.Lr, epoch);
        var proxyLr = LrSchedule.ProxyAt(_config, epoch);
        if (Model is not null) foreach (var g in Model.Groups) g.LearningRate = ModelLr;
        if (Proxy is not null) foreach (var g in Proxy.Groups) g.LearningRate = proxyLr;
    }

    public void ZeroGrad()
    {
        Model?.ZeroGrad();
        Proxy?.ZeroGrad();
    }

    public void Step()
    {
        Model?.Step();
        Proxy?.Step();
    }

    public void Save(string directory)
    {
        Model?.Save(Path.Combine(directory, ModelStateFile));
        Proxy?.Save(Path.Combine(directory, ProxyStateFile));
    }

    public void Load(string directory)
    {
        if (File.Exists(Path.Combine(directory, "optimizer_model.bin")) && !File.Exists(Path.Combine(directory, ModelStateFile)))
            throw new InvalidDataException("the checkpoint holds TorchSharp optimiser state written by an older VptSp; it cannot be resumed by VptSp's own optimisers (start a new run)");
        Model?.Load(Path.Combine(directory, ModelStateFile));
        Proxy?.Load(Path.Combine(directory, ProxyStateFile));
    }

    public void Dispose()
    {
        Model?.Dispose();
        Proxy?.Dispose();
    }

    private static ParameterOptimizer Create(TrainingConfig c, IReadOnlyList<Parameter> ps, double lr)
    {
        return new ParameterOptimizer(UpdateRule.Create(c.Optim, c.SdgMomentum), [new OptimizerGroup(ps, lr, c.Decay)]);
    }
}
