using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VptSp.Core.Training;

/// <summary>
/// The run's two optimisers (SPEC §3.5): the model's trainable parameters with <c>lr</c>/<c>decay</c>, and the proxy
/// bias with <c>lr_proxy</c>, both of the config's kind. Learning rates are set per epoch from <see cref="LrSchedule"/>.
/// </summary>
public sealed class OptimizerSet : IDisposable
{
    private readonly TrainingConfig _config;

    public OptimizerSet(TrainingConfig config, IReadOnlyList<Parameter> modelParameters, IReadOnlyList<Parameter> proxyParameters)
    {
        _config = config;
        Model = modelParameters.Count == 0 ? null : Create(config, modelParameters, config.Lr);
        Proxy = proxyParameters.Count == 0 ? null : Create(config, proxyParameters, config.LrProxy);
    }

    public optim.Optimizer? Model { get; }
    public optim.Optimizer? Proxy { get; }

    /// <summary>The model group's learning rate in the current epoch.</summary>
    public double ModelLr { get; private set; }

    public void SetEpoch(int epoch)
    {
        ModelLr = LrSchedule.At(_config, _config.Lr, epoch);
        var proxyLr = LrSchedule.ProxyAt(_config, epoch);
        if (Model is not null) foreach (var g in Model.ParamGroups) g.LearningRate = ModelLr;
        if (Proxy is not null) foreach (var g in Proxy.ParamGroups) g.LearningRate = proxyLr;
    }

    public void ZeroGrad()
    {
        Model?.zero_grad();
        Proxy?.zero_grad();
    }

    public void Step()
    {
        Model?.step();
        Proxy?.step();
    }

    public void Save(string directory)
    {
        (Model as OptimizerHelper)?.save_state_dict(Path.Combine(directory, "optimizer_model.bin"));
        (Proxy as OptimizerHelper)?.save_state_dict(Path.Combine(directory, "optimizer_proxy.bin"));
    }

    public void Load(string directory)
    {
        Restore(Model, Path.Combine(directory, "optimizer_model.bin"));
        Restore(Proxy, Path.Combine(directory, "optimizer_proxy.bin"));
    }

    public void Dispose()
    {
        Model?.Dispose();
        Proxy?.Dispose();
    }

    private static void Restore(optim.Optimizer? optimizer, string file)
    {
        if (optimizer is not OptimizerHelper helper) return;
        if (!File.Exists(file)) throw new FileNotFoundException($"checkpoint lacks the optimiser state {Path.GetFileName(file)}", file);
        helper.load_state_dict(file);
    }

    private static optim.Optimizer Create(TrainingConfig c, IReadOnlyList<Parameter> ps, double lr) => c.Optim switch
    {
        "sgd" => optim.SGD(ps, lr, momentum: c.SdgMomentum, weight_decay: c.Decay),
        "adamw" => optim.AdamW(ps, lr, weight_decay: c.Decay),
        "adam" => optim.Adam(ps, lr, weight_decay: c.Decay),
        _ => throw new ConfigException("optim", $"unknown optimiser '{c.Optim}'"),
    };
}
