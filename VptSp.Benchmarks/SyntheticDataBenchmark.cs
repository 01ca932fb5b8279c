using System.Globalization;
using VptSp.Core.Training;
using VptSp.Tests.Support;

namespace VptSp.Benchmarks;

/// <summary>
/// Not a measurement: writes the tests' small learnable image set (<see cref="SyntheticDataset"/>, `folder` layout) that the
/// GPU check kit (scripts/gpu-check.sh) trains on, and, when $VPTSP_SYNTH_CONFIG is set, the tests' tiny VPTSP-G config
/// (<see cref="SyntheticDataset.TinyConfig"/>) as YAML there. $VPTSP_SYNTH_DIR (required), $VPTSP_SYNTH_CLASSES (8),
/// $VPTSP_SYNTH_IMAGES per class (8), 40 px.
/// </summary>
public sealed class SyntheticDataBenchmark : IBenchmark
{
    public string Name => "synthetic-data";
    public string Description => "writes the GPU check kit's tiny folder dataset to $VPTSP_SYNTH_DIR (no timing)";

    public void Run(TextWriter output)
    {
        var root = Environment.GetEnvironmentVariable("VPTSP_SYNTH_DIR");
        if (string.IsNullOrWhiteSpace(root))
        {
            output.WriteLine("RESULT synthetic-data FAIL set VPTSP_SYNTH_DIR");
            return;
        }
        var classes = EnvInt("VPTSP_SYNTH_CLASSES", 8);
        var perClass = EnvInt("VPTSP_SYNTH_IMAGES", 8);
        SyntheticDataset.Write(root, classes, perClass);
        if (Environment.GetEnvironmentVariable("VPTSP_SYNTH_CONFIG") is { Length: > 0 } config)
            File.WriteAllText(config, SyntheticDataset.TinyConfig("vptsp_g").ToYaml());
        output.WriteLine($"RESULT synthetic-data PASS {classes} classes x {perClass} images in {root}");
    }

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
}
