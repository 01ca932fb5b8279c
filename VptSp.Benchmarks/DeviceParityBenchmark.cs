using System.Globalization;
using System.Text;
using System.Text.Json;
using TorchSharp;
using TorchSharp.PyBridge;
using VptSp.Core.MetricLearning;
using VptSp.Core.Modeling;
using VptSp.Core.Runtime;
using VptSp.Core.Training;
using VptSp.Core.Training.Optimization;
using static TorchSharp.torch;

namespace VptSp.Benchmarks;

/// <summary>
/// The reference-parity trajectories (VptSp.Tests.Support/Fixtures/ReferenceParity, the same replay as ReferenceParityTests) run in
/// fp32 on the device named by $VPTSP_DEVICE (cpu, cuda, cuda:N; default cpu), for the GPU check kit (scripts/gpu-check.sh),
/// which ships no test runner. On CUDA, TF32 is turned off for matrix products and cuDNN convolutions (true fp32).
/// Prints each case's largest relative error over the 20 losses and over the final tensors, and one closing line
/// <c>RESULT device-parity PASS|FAIL device=… max_rel=…</c> (PASS when every error is ≤ 1e-4).
/// Fixtures: $VPTSP_PARITY_FIXTURES, else VptSp.Tests.Support/Fixtures/ReferenceParity above the working directory.
/// </summary>
public sealed class DeviceParityBenchmark : IBenchmark
{
    private const double Tolerance = 1e-4;

    public string Name => "device-parity";
    public string Description => "reference-parity trajectories replayed in fp32 on $VPTSP_DEVICE (GPU check kit); max relative error ≤ 1e-4";

    public void Run(TextWriter output)
    {
        var request = Environment.GetEnvironmentVariable("VPTSP_DEVICE") ?? "cpu";
        var device = TorchRuntime.ResolveDevice(request);
        var wantsCuda = request.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) || int.TryParse(request, out _);
        if (wantsCuda && device.type != DeviceType.CUDA)
        {
            output.WriteLine($"RESULT device-parity FAIL device={request} (CUDA not available to TorchSharp: cuda.is_available() is false)");
            return;
        }
        if (device.type == DeviceType.CUDA)
        {
            backends.cuda.matmul.allow_tf32 = false;
            backends.cudnn.allow_tf32 = false;
        }
        var root = FixtureRoot();
        if (root is null)
        {
            output.WriteLine("RESULT device-parity FAIL fixtures not found (set VPTSP_PARITY_FIXTURES)");
            return;
        }
        var cases = Directory.GetDirectories(root).Where(d => File.Exists(Path.Combine(d, "case.json")))
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        double worstLoss = 0, worstTensor = 0;
        var failures = new List<string>();
        foreach (var name in cases)
        {
            try
            {
                var (lossErr, tensorErr, worstKey) = RunCase(root, name, device);
                worstLoss = Math.Max(worstLoss, lossErr);
                worstTensor = Math.Max(worstTensor, tensorErr);
                var ok = lossErr <= Tolerance && tensorErr <= Tolerance;
                if (!ok) failures.Add(name);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name,-40} losses max rel {lossErr:E2}  tensors max rel {tensorErr:E2} ({worstKey})  {(ok ? "ok" : "FAIL")}"));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failures.Add(name);
                output.WriteLine($"  {name,-40} error: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
                worstLoss = double.PositiveInfinity;
            }
        }
        var verdict = failures.Count == 0 && cases.Count > 0 ? "PASS" : "FAIL";
        var failed = failures.Count > 0 ? " failed=" + string.Join(',', failures) : "";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT device-parity {verdict} device={device} cases={cases.Count} max_rel_loss={worstLoss:E2} max_rel_tensor={worstTensor:E2} tol={Tolerance:E0}{failed}"));
    }

    private static string? FixtureRoot()
    {
        var env = Environment.GetEnvironmentVariable("VPTSP_PARITY_FIXTURES");
        if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? env : null;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var path = Path.Combine(dir.FullName, "VptSp.Tests.Support", "Fixtures", "ReferenceParity");
                if (Directory.Exists(path)) return path;
            }
        return null;
    }

    /// <summary>One case: (largest relative loss error, largest relative final-tensor error, the tensor that had it).</summary>
    private static (double Loss, double Tensor, string Key) RunCase(string root, string name, Device device)
    {
        var (config, classes, steps) = Case(Path.Combine(root, name, "case.json"));
        using var model = new MetricModel(ModelFactory.Options(config, classes, null, onGpu: device.type == DeviceType.CUDA), device);
        var init = Safetensors.LoadStateDict(Path.Combine(root, name, "init.safetensors"));
        var final = Safetensors.LoadStateDict(Path.Combine(root, name, "final.safetensors"));
        try
        {
            LoadInit(model, init);
            var losses = Replay(Path.Combine(root, "batches.safetensors"), model, config, steps, device);
            var expected = JsonSerializer.Deserialize<double[]>(File.ReadAllText(Path.Combine(root, name, "losses.json")))!;
            if (expected.Length != losses.Length) throw new InvalidOperationException($"{losses.Length} losses vs {expected.Length} in the fixture");
            var lossErr = expected.Select((e, i) => Math.Abs(losses[i] - e) / Math.Max(Math.Abs(e), 1e-12)).Max();

            var actual = Tensors(model);
            double tensorErr = 0;
            var worstKey = "";
            foreach (var (key, reference) in final)
            {
                using var scope = NewDisposeScope();
                var got = actual[key].detach().to(ScalarType.Float32).cpu();
                var want = UsedPrompts(key, reference, got);
                if (config.Optim is OptimizerKind.Adam or OptimizerKind.AdamW && key.EndsWith(".attn.qkv.bias", StringComparison.Ordinal))
                {
                    // the key third of qkv.bias has an exactly zero gradient: Adam moves it by noise (see ReferenceParityTests)
                    var d = want.shape[0] / 3;
                    got = cat([got.narrow(0, 0, d), got.narrow(0, 2 * d, d)], 0);
                    want = cat([want.narrow(0, 0, d), want.narrow(0, 2 * d, d)], 0);
                }
                var scale = Math.Max(want.abs().max().ReadDouble(), 1e-12);
                var rel = got.sub(want).abs().max().ReadDouble() / scale;
                if (rel > tensorErr || double.IsNaN(rel))
                {
                    tensorErr = double.IsNaN(rel) ? double.PositiveInfinity : rel;
                    worstKey = key;
                }
            }
            return (lossErr, tensorErr, worstKey);
        }
        finally
        {
            foreach (var t in init.Values.Concat(final.Values)) t.Dispose();
        }
    }

    private static (TrainingConfig Config, int Classes, int Steps) Case(string path)
    {
        var root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        var yaml = new StringBuilder();
        foreach (var p in root.GetProperty("config").EnumerateObject())
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
        return (TrainingConfigYaml.Parse(yaml.ToString()), root.GetProperty("classes").GetInt32(), root.GetProperty("steps").GetInt32());
    }

    private static Dictionary<string, Tensor> Tensors(MetricModel m)
    {
        var d = m.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);
        foreach (var (name, b) in m.named_buffers()) d.TryAdd(name, b);
        if (m.ClassPrompts is { } bank)
            for (var i = 0; i < bank.Rows.Count; i++) d[$"p_prompts.{i}"] = bank.Rows[i];
        if (m.ProxyContainerValues is { } c) d["proxies_container"] = c;
        return d;
    }

    private static void LoadInit(MetricModel m, Dictionary<string, Tensor> init)
    {
        var targets = Tensors(m);
        var missing = init.Keys.Where(k => !targets.ContainsKey(k)).ToList();
        if (missing.Count > 0) throw new InvalidOperationException($"fixture tensors VptSp does not have: {string.Join(", ", missing)}");
        using var _ = no_grad();
        foreach (var (name, value) in init)
        {
            var used = UsedPrompts(name, value, targets[name]);
            if (!used.shape.SequenceEqual(targets[name].shape)) throw new InvalidOperationException($"{name}: shape differs from the fixture");
            targets[name].copy_(used);   // copies across devices
        }
    }

    private static Tensor UsedPrompts(string name, Tensor reference, Tensor vptsp)
    {
        var isPrompt = name.StartsWith("prompts.", StringComparison.Ordinal) || name.StartsWith("p_prompts.", StringComparison.Ordinal);
        return isPrompt && reference.dim() == 3 && vptsp.dim() == 3 && reference.shape[1] > vptsp.shape[1]
            ? reference.narrow(1, 0, vptsp.shape[1])
            : reference;
    }

    private static double[] Replay(string batchesPath, MetricModel model, TrainingConfig config, int steps, Device device)
    {
        var batches = Safetensors.LoadStateDict(batchesPath);
        try
        {
            using var optimizers = new OptimizerSet(config, model.ModelParameters(), model.ProxyParameters());
            optimizers.SetEpoch(0);
            var metricLoss = MetricLossFactory.Create(config);
            model.train();
            var losses = new double[steps];
            for (var step = 0; step < steps; step++)
            {
                using var scope = NewDisposeScope();
                var images = batches["images"][step].to(device);
                var labels = batches["labels"][step].to(device);
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
}
