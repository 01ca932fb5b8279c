using System.Globalization;
using TorchSharp;
using VptSp.Core.Runtime;
using VptSp.Core.Training;
using VptSp.Tests.Support;
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
    private const double Tolerance = ReferenceTrajectory.Tolerance;

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
        var cases = ReferenceTrajectory.CaseNames(root);
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
        using var trajectory = ReferenceTrajectory.Load(root, name);
        using var model = trajectory.NewModel(device);
        var losses = trajectory.Replay(model, device);
        var expected = trajectory.ExpectedLosses;
        var lossErr = expected.Select((e, i) => Math.Abs(losses[i] - e) / Math.Max(Math.Abs(e), 1e-12)).Max();
        var worst = trajectory.CompareFinal(model).MaxBy(g => g.Relative);
        return (lossErr, worst?.Relative ?? 0, worst?.Key ?? "");
    }
}
