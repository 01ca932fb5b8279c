using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using VptSp.Core.Modeling;
using VptSp.Core.Runtime;
using static TorchSharp.torch;

using VptSp.Core.Training;

namespace VptSp.Benchmarks;

/// <summary>
/// The VPT training step (the `model-precision` benchmark's step: frozen ViT, deep prompts, proxy loss, AdamW) on the device
/// named by $VPTSP_DEVICE (cpu, cuda, cuda:N; default cpu) in fp32, mixed bf16 and, on CUDA, mixed fp16, each timed as a whole
/// step between device synchronisations, interleaved round by round with the same step in the user's PyTorch eager
/// (tools/torch-step/vit_step.py --device …) when a Python with torch is found. For the GPU check kit (scripts/gpu-check.sh).
/// Shape: $VPTSP_BENCH_VIT (vit_small_patch16_224), $VPTSP_BENCH_BATCH (64), $VPTSP_BENCH_REPEATS (5, at least 3).
/// Prints one <c>RESULT device-step …</c> line per precision: ms per step, img/s, PyTorch's, the ratio (VptSp / PyTorch time),
/// and PyTorch's peak allocated CUDA memory; then the GPU memory each process holds (nvidia-smi) where available.
/// </summary>
public sealed class DeviceStepBenchmark : IBenchmark
{
    private const int NumPrompt = 10;

    public string Name => "device-step";
    public string Description => "VPT training step on $VPTSP_DEVICE fp32 / bf16 / fp16 (CUDA), img/s, side by side with PyTorch eager (GPU check kit)";

    public void Run(TextWriter output)
    {
        var request = Environment.GetEnvironmentVariable("VPTSP_DEVICE") ?? "cpu";
        var device = TorchRuntime.ResolveDevice(request);
        var spec = VitPresets.Get(Environment.GetEnvironmentVariable("VPTSP_BENCH_VIT") ?? "vit_small_patch16_224");
        var batch = EnvInt("VPTSP_BENCH_BATCH", 64);
        var repeats = Math.Max(3, EnvInt("VPTSP_BENCH_REPEATS", 5));
        var tag = $"{spec.Name} b{batch}";
        var wantsCuda = request.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) || int.TryParse(request, out _);
        if (wantsCuda && device.type != DeviceType.CUDA)
        {
            output.WriteLine($"RESULT device-step FAIL {tag} device={request} (CUDA not available to TorchSharp)");
            return;
        }
        var onCuda = device.type == DeviceType.CUDA;
        output.WriteLine($"device {device}; {spec.Name}, batch {batch}, {NumPrompt} deep prompts, {repeats} interleaved rounds after one warm-up");

        var precisions = onCuda ? new[] { "fp32", "bf16", "fp16" } : new[] { "fp32", "bf16" };
        var models = new List<MetricModel>();
        var steppers = new Dictionary<string, ModelStepper>();
        try
        {
            foreach (var p in precisions)
            {
                var model = new MetricModel(ModelFactory.Options(new TrainingConfig
                {
                    PretrainedModel = spec.Name, EmbedDim = 384, VitPrompt = true, NumPrompt = NumPrompt, PromptDepth = spec.Depth,
                    Bf16 = p == "bf16" ? Bf16Mode.On : Bf16Mode.Off, MixPrecision = p == "fp16", Seed = 1,
                }, numClasses: 100, onGpu: onCuda), device);
                models.Add(model);
                steppers[p] = new ModelStepper(model, classesPerBatch: batch / 2, samplesPerClass: 2, numClasses: 100, seed: 3);
            }
            using var torch = TorchPartner.TryStart(spec, batch, NumPrompt, out var why, onCuda ? device.ToString() : "cpu");
            output.WriteLine(torch is null ? $"PyTorch side by side: SKIP ({why})" : $"PyTorch side by side: torch {torch.Version} via {torch.Python}");

            var mine = precisions.ToDictionary(p => p, _ => new List<double>());
            var theirs = precisions.ToDictionary(p => p, _ => new List<double>());
            var peaks = precisions.ToDictionary(p => p, _ => 0.0);
            for (var round = -1; round < repeats; round++)   // round -1: warm-up (allocator, cuBLAS/cuDNN handles, kernels)
                foreach (var p in precisions)
                {
                    var ms = TimedStep(steppers[p], device);
                    if (round >= 0) mine[p].Add(ms);
                    if (torch is null) continue;
                    var (f, b) = torch.Run("train", p);
                    if (round >= 0) theirs[p].Add(f + b);
                    peaks[p] = Math.Max(peaks[p], torch.LastPeakMb ?? 0);
                }

            foreach (var p in precisions)
            {
                var m = PrecisionStepBenchmark.Median(mine[p]);
                var line = string.Create(CultureInfo.InvariantCulture, $"RESULT device-step PASS {tag} {p}: VptSp {m:F1} ms/step {batch * 1000 / m:F0} img/s");
                if (torch is not null)
                {
                    var t = PrecisionStepBenchmark.Median(theirs[p]);
                    line += string.Create(CultureInfo.InvariantCulture, $"; PyTorch eager {t:F1} ms/step {batch * 1000 / t:F0} img/s; ratio VptSp/PyTorch {m / t:F2}");
                    if (peaks[p] > 0) line += string.Create(CultureInfo.InvariantCulture, $"; PyTorch peak {peaks[p]:F0} MiB");
                }
                else line += "; PyTorch SKIP";
                output.WriteLine(line);
            }
            if (onCuda)
                output.WriteLine($"RESULT device-step INFO {tag} GPU memory held (nvidia-smi, caching allocators' reserve, all precisions): " +
                                 ProcessGpuMemory(Environment.ProcessId, torch?.ProcessId));
        }
        finally
        {
            foreach (var s in steppers.Values) s.Dispose();
            foreach (var m in models) m.Dispose();
        }
    }

    private static double TimedStep(ModelStepper stepper, Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
        var clock = Stopwatch.StartNew();
        stepper.Step();   // ends with loss.item(): waits for the device
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>"VptSp N MiB, PyTorch M MiB" from nvidia-smi's per-process table, or why not.</summary>
    private static string ProcessGpuMemory(int mine, int? partner)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("nvidia-smi", "--query-compute-apps=pid,used_memory --format=csv,noheader,nounits")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            });
            if (p is null) return "n/a (nvidia-smi did not start)";
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit(10_000);
            var used = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split(',', StringSplitOptions.TrimEntries))
                .Where(f => f.Length == 2 && int.TryParse(f[0], out _))
                .ToDictionary(f => int.Parse(f[0], CultureInfo.InvariantCulture), f => f[1]);
            string Of(int pid) => used.TryGetValue(pid, out var mb) ? $"{mb} MiB" : "n/a (pid not listed: containers hide it)";
            return $"VptSp {Of(mine)}" + (partner is { } q ? $", PyTorch {Of(q)}" : "");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "n/a (no nvidia-smi)";
        }
    }

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
}
