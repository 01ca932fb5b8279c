using System.Text;
using System.Text.Json;
using TorchSharp;
using TorchSharp.PyBridge;
using VptSp.Core.Modeling;
using VptSp.Core.Runtime;
using VptSp.Core.Training;
using VptSp.Core.Training.Optimization;
using static TorchSharp.torch;

namespace VptSp.Tests.Support;

/// <summary>
/// One trajectory-parity case made from the authors' code (tools/reference-parity/make_trajectory_fixtures.py): the config,
/// the initial tensors, the per-step losses and the final tensors of 20 steps of the reference's model, loss and optimisers,
/// and the batches they saw. <see cref="Replay"/> runs the same init and batches through VptSp's model, training loss and
/// optimisers; used by ReferenceParityTests (CPU) and the GPU check kit's device-parity benchmark.
/// </summary>
public sealed class ReferenceTrajectory : IDisposable
{
    /// <summary>Losses and final tensors must agree to this, relative.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>The fixtures as copied beside the test binaries.</summary>
    public static string DefaultRoot => Path.Combine(AppContext.BaseDirectory, "Fixtures", "ReferenceParity");

    private readonly string _root;

    private ReferenceTrajectory(string root, string name)
    {
        _root = root;
        Name = name;
        var dir = Path.Combine(root, name);
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "case.json"))).RootElement;
        Config = TrainingConfigYaml.Parse(AsYaml(json.GetProperty("config")));
        Classes = json.GetProperty("classes").GetInt32();
        Steps = json.GetProperty("steps").GetInt32();
        StepsPerEpoch = json.TryGetProperty("steps_per_epoch", out var perEpoch) ? perEpoch.GetInt32() : Steps;
        ExpectedLosses = JsonSerializer.Deserialize<double[]>(File.ReadAllText(Path.Combine(dir, "losses.json")))!;
        Init = Safetensors.LoadStateDict(Path.Combine(dir, "init.safetensors"));
        Final = Safetensors.LoadStateDict(Path.Combine(dir, "final.safetensors"));
    }

    public string Name { get; }
    public TrainingConfig Config { get; }
    public int Classes { get; }
    public int Steps { get; }
    /// <summary>Steps between the reference's per-epoch scheduler steps (= <see cref="Steps"/>: one epoch).</summary>
    public int StepsPerEpoch { get; }
    public double[] ExpectedLosses { get; }
    public Dictionary<string, Tensor> Init { get; }
    public Dictionary<string, Tensor> Final { get; }

    public static ReferenceTrajectory Load(string root, string name) => new(root, name);

    /// <summary>The case folders under <paramref name="root"/>, in name order.</summary>
    public static IReadOnlyList<string> CaseNames(string root) =>
        Directory.GetDirectories(root).Where(d => File.Exists(Path.Combine(d, "case.json")))
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    /// <summary>The case's model (fp32) on <paramref name="device"/>, holding the fixture's initial tensors.</summary>
    public MetricModel NewModel(Device? device = null)
    {
        var onGpu = device?.type == DeviceType.CUDA;
        var model = new MetricModel(ModelFactory.Options(Config, Classes, null, onGpu), device);
        try
        {
            LoadInit(model);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Replays the fixture's steps; returns the per-step losses (the model holds the trained tensors afterwards).</summary>
    public double[] Replay(MetricModel model, Device? device = null)
    {
        var batches = Safetensors.LoadStateDict(Path.Combine(_root, "batches.safetensors"));
        try
        {
            using var optimizers = new OptimizerSet(Config, model.ModelParameters(), model.ProxyParameters());
            var metricLoss = MetricLossFactory.Create(Config);
            model.train();
            var losses = new double[Steps];
            for (var step = 0; step < Steps; step++)
            {
                if (step % StepsPerEpoch == 0) optimizers.SetEpoch(step / StepsPerEpoch);
                using var scope = NewDisposeScope();
                var images = device is null ? batches["images"][step] : batches["images"][step].to(device);
                var labels = device is null ? batches["labels"][step] : batches["labels"][step].to(device);
                var output = model.ForwardTrain(images, labels);
                var loss = metricLoss.Forward(output, labels);
                losses[step] = loss.ReadSingle();
                optimizers.ZeroGrad();
                loss.backward();
                optimizers.Step();
                model.AfterStep(optimizers.ModelLr);
            }
            return losses;
        }
        finally
        {
            foreach (var t in batches.Values) t.Dispose();
        }
    }

    /// <summary>One final tensor against the reference's: the largest absolute difference and the largest reference magnitude.</summary>
    public sealed record TensorGap(string Key, double MaxAbsDiff, double MaxAbsReference)
    {
        public double Relative => MaxAbsDiff / Math.Max(MaxAbsReference, 1e-12);
        public bool Within => MaxAbsDiff <= Tolerance * Math.Max(MaxAbsReference, 1e-12);
    }

    /// <summary>Every final tensor of the fixture against the model's (on the CPU, in fp32).</summary>
    public IReadOnlyList<TensorGap> CompareFinal(MetricModel model)
    {
        var actual = Tensors(model);
        var gaps = new List<TensorGap>();
        foreach (var (key, reference) in Final)
        {
            if (IsUnusedPromptBlock(key, actual)) continue;
            using var scope = NewDisposeScope();
            var got = actual[key].detach().to(ScalarType.Float32).cpu();
            var want = UsedPrompts(key, reference, got);
            if (KeyBiasIsNoise(key))
            {
                // The key third of qkv.bias has an exactly zero gradient (softmax over keys ignores a per-query constant q·b_k),
                // so its computed gradient is round-off; Adam divides that by its own root mean square and moves it by ≈ lr per step
                // in a direction set by the noise, in the reference as here. It changes no output; compare the query and value thirds.
                var d = want.shape[0] / 3;
                got = cat([got.narrow(0, 0, d), got.narrow(0, 2 * d, d)], 0);
                want = cat([want.narrow(0, 0, d), want.narrow(0, 2 * d, d)], 0);
            }
            gaps.Add(new TensorGap(key, got.sub(want).abs().max().ReadDouble(), want.abs().max().ReadDouble()));
        }
        return gaps;
    }

    public void Dispose()
    {
        foreach (var t in Init.Values.Concat(Final.Values)) t.Dispose();
    }

    private bool KeyBiasIsNoise(string key) =>
        Config.Optim is OptimizerKind.Adam or OptimizerKind.AdamW && key.EndsWith(".attn.qkv.bias", StringComparison.Ordinal);

    private void LoadInit(MetricModel m)
    {
        var targets = Tensors(m);
        var missing = Init.Keys.Where(k => !targets.ContainsKey(k) && !IsUnusedPromptBlock(k, targets)).ToList();
        if (missing.Count > 0) throw new InvalidOperationException($"{Name}: fixture tensors VptSp does not have: {string.Join(", ", missing)}");
        var uninitialised = m.named_parameters().Where(p => p.parameter.requires_grad && !Init.ContainsKey(p.name)).Select(p => p.name).ToList();
        if (uninitialised.Count > 0)
            throw new InvalidOperationException($"{Name}: trainable VptSp tensors the fixture does not set: {string.Join(", ", uninitialised)}");
        using var _ = no_grad();
        foreach (var (name, value) in Init)
        {
            if (IsUnusedPromptBlock(name, targets)) continue;
            var used = UsedPrompts(name, value, targets[name]);
            if (!used.shape.SequenceEqual(targets[name].shape))
                throw new InvalidOperationException($"{name}: fixture [{string.Join(", ", value.shape)}] vs VptSp [{string.Join(", ", targets[name].shape)}]");
            targets[name].copy_(used); // copies across devices
        }
    }

    /// <summary>Every tensor of the model by the fixture's names: parameters and buffers, bank rows, proxy container.</summary>
    private static Dictionary<string, Tensor> Tensors(MetricModel m)
    {
        var d = m.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);
        foreach (var (name, b) in m.named_buffers()) d.TryAdd(name, b);
        if (m.ClassPrompts is { } bank)
            for (var i = 0; i < bank.Rows.Count; i++) d[$"p_prompts.{i}"] = bank.Rows[i];
        if (m.ProxyContainerValues is { } c) d["proxies_container"] = c;
        return d;
    }

    /// <summary>A prompt block that no token reads (its block step leaves 0 prompts): the reference stores it, VptSp does not.</summary>
    private bool IsUnusedPromptBlock(string name, Dictionary<string, Tensor> vptsp)
    {
        if (vptsp.ContainsKey(name)) return false;
        var dot = name.LastIndexOf('.');
        if (dot < 0 || !int.TryParse(name[(dot + 1)..], out var block)) return false;
        return name[..dot] switch
        {
            "prompts" => Config.NumPrompt - block * Config.PromptBlockStep <= 0,
            "p_prompts" => Config.NumPPrompt - block * Config.PromptPBlockStep <= 0,
            _ => false,
        };
    }

    /// <summary>
    /// The reference stores num_prompt (num_p_prompt) prompts for every block and block i uses the first n_i of them; VptSp
    /// stores only those n_i. The unused slots never reach an output (weight decay still shrinks them there), so compare the used ones.
    /// </summary>
    private static Tensor UsedPrompts(string name, Tensor reference, Tensor vptsp)
    {
        var isPrompt = name.StartsWith("prompts.", StringComparison.Ordinal) || name.StartsWith("p_prompts.", StringComparison.Ordinal);
        return isPrompt && reference.dim() == 3 && vptsp.dim() == 3 && reference.shape[1] > vptsp.shape[1]
            ? reference.narrow(1, 0, vptsp.shape[1])
            : reference;
    }

    /// <summary>The case's config (the reference's keys, JSON values) as VptSp YAML.</summary>
    private static string AsYaml(JsonElement config)
    {
        var yaml = new StringBuilder();
        foreach (var p in config.EnumerateObject())
        {
            var value = p.Value.ValueKind switch
            {
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.String => p.Value.GetString(),
                _ => p.Value.GetRawText(),
            };
            yaml.Append(p.Name).Append(": ").Append(value).Append('\n');
        }
        return yaml.ToString();
    }
}
