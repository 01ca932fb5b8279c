using System.Diagnostics;
using System.Globalization;
using VptSp.Core.Modeling;

namespace VptSp.Benchmarks;

/// <summary>
/// The user's own PyTorch running tools/torch-step/vit_step.py as a long-lived child process, so its steps can be timed
/// interleaved with VptSp's in one run. Absent (null from <see cref="TryStart"/>) when the script or a Python with torch is missing.
/// </summary>
internal sealed class TorchPartner : IDisposable
{
    private readonly Process _process;

    private TorchPartner(Process process, string version, string python)
    {
        _process = process;
        Version = version;
        Python = python;
    }

    public string Version { get; }
    public string Python { get; }

    /// <summary>The partner's process id (its GPU memory can be looked up by it).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Peak CUDA memory allocated by the last <see cref="Run"/> in MiB (torch.cuda.max_memory_allocated), when the partner runs on CUDA.</summary>
    public double? LastPeakMb { get; private set; }

    /// <summary>Starts the script with the first of $VPTSP_PYTHON, python3, /usr/bin/python3 that imports torch; <paramref name="why"/> says why not.</summary>
    public static TorchPartner? TryStart(VitSpec spec, int batch, int prompts, out string why, string device = "cpu")
    {
        if (Environment.GetEnvironmentVariable("VPTSP_PYTHON") == "none")
        {
            why = "VPTSP_PYTHON=none";
            return null;
        }
        var script = FindScript();
        if (script is null)
        {
            why = "tools/torch-step/vit_step.py not found above the working directory";
            return null;
        }
        var candidates = new[] { Environment.GetEnvironmentVariable("VPTSP_PYTHON"), "python3", "/usr/bin/python3" }
            .Where(c => !string.IsNullOrWhiteSpace(c)).Distinct().ToList();
        var args = string.Create(CultureInfo.InvariantCulture,
            $"\"{script}\" --batch {batch} --img {spec.ImgSize} --patch {spec.PatchSize} --dim {spec.EmbedDim} --depth {spec.Depth} --heads {spec.NumHeads} --prompts {prompts} --threads {TorchSharp.torch.get_num_threads()}{(device == "cpu" ? "" : " --device " + device)}");
        var failures = new List<string>();
        foreach (var python in candidates)
        {
            Process? p = null;
            try
            {
                p = Process.Start(new ProcessStartInfo(python!, args)
                {
                    RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                });
                if (p is null) continue;
                _ = p.StandardError.ReadToEndAsync();   // drain (import errors land here)
                var ready = p.StandardOutput.ReadLine();
                if (ready is not null && ready.StartsWith("ready ", StringComparison.Ordinal))
                {
                    why = "";
                    return new TorchPartner(p, ready.Split(' ')[1], python!);
                }
                failures.Add(device == "cpu" ? $"{python}: no torch" : $"{python}: no torch on {device}");
            }
            catch (System.ComponentModel.Win32Exception)
            {
                failures.Add($"{python}: not found");
            }
            p?.Dispose();
        }
        why = "no Python with torch (" + string.Join("; ", failures) + "); set VPTSP_PYTHON";
        return null;
    }

    /// <summary>One timed step: "train" or "infer" in "fp32", "bf16" (or "fp16" on CUDA); forward and backward milliseconds as the script measured them.</summary>
    public (double ForwardMs, double BackwardMs) Run(string mode, string precision)
    {
        _process.StandardInput.WriteLine($"{mode} {precision}");
        _process.StandardInput.Flush();
        var line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the PyTorch partner stopped answering");
        var parts = line.Split(' ');
        LastPeakMb = parts.Length > 2 ? double.Parse(parts[2], CultureInfo.InvariantCulture) : null;
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static string? FindScript()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var path = Path.Combine(dir.FullName, "tools", "torch-step", "vit_step.py");
                if (File.Exists(path)) return path;
            }
        return null;
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("quit");
            _process.StandardInput.Flush();
            if (!_process.WaitForExit(10_000)) _process.Kill();
        }
        catch (IOException) { }
        _process.Dispose();
    }
}
