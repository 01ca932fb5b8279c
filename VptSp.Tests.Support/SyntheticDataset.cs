using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using VptSp.Core.Training;

namespace VptSp.Tests.Support;

/// <summary>
/// A small real image dataset in the `folder` layout: one PNG folder per class, each class a hue with a bright square
/// at a random place and pixel noise, so classes are learnable but images differ. First half of the classes train,
/// second half test.
/// </summary>
public sealed class SyntheticDataset : IDisposable
{
    public SyntheticDataset(int classes = 8, int imagesPerClass = 6, int size = 40, int seed = 1)
    {
        Root = Path.Combine(Folder, "ds-" + Guid.NewGuid().ToString("N")[..8]);
        Write(Root, classes, imagesPerClass, size, seed);
    }

    /// <summary>Writes the class folders under <paramref name="root"/> (also the GPU check kit's data, via the benchmarks).</summary>
    public static void Write(string root, int classes, int imagesPerClass, int size = 40, int seed = 1)
    {
        var random = new Random(seed);
        for (var c = 0; c < classes; c++)
        {
            var dir = Directory.CreateDirectory(Path.Combine(root, $"class_{c:D2}")).FullName;
            var (r, g, b) = Hue(c * 360.0 / classes);
            for (var i = 0; i < imagesPerClass; i++)
            {
                using var image = new Image<Rgb24>(size, size);
                var sx = random.Next(size / 2);
                var sy = random.Next(size / 2);
                for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                {
                    var inSquare = x >= sx && x < sx + size / 3 && y >= sy && y < sy + size / 3;
                    var n = random.Next(-25, 26);
                    image[x, y] = inSquare
                        ? new Rgb24(255, 255, 255)
                        : new Rgb24(Clamp(r + n), Clamp(g + n), Clamp(b + n));
                }
                image.SaveAsPng(Path.Combine(dir, $"img_{i}.png"));
            }
        }
    }

    /// <summary>The one folder every synthetic dataset is written under (test servers register it as a data root).</summary>
    public static string Folder { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "vptsp-synthetic")).FullName;

    public string Root { get; }

    /// <summary>A config for a seconds-long run on the 32 px test ViT.</summary>
    public static TrainingConfig TinyConfig(string method = "vptsp_g") =>
        TrainingConfigYaml.Parse($"""
            dataset: folder
            pretrained_model: vit_test_patch8_32
            backbone_checkpoint: random
            embed_dim: 16
            batch_size: 8
            samples_per_class: 2
            n_epochs: 2
            eval_start: 0
            optim: adamw
            lr: 0.003
            lr_proxy: 0.05
            scheduler: cosine
            lr_cosine_length: 2
            kernels: 1
            proxy_data_range: both_all
            vit_head: true
            evaluation_metrics: [e_recall@1, e_recall@2, mAP_R]
            seed: 3
            """).WithOverrides(MethodFlags(method));

    public static Dictionary<string, string> MethodFlags(string method) => method switch
    {
        "vptsp_g" => new() { ["vit_prompt"] = "true", ["vit_bitfit"] = "true", ["vit_proxy_net"] = "true", ["proxy_mix_bias"] = "true",
            ["num_prompt"] = "2", ["prompt_depth"] = "2", ["num_p_prompt"] = "2", ["p_prompt_depth"] = "2" },
        "vptsp_g_bank" => new(MethodFlags("vptsp_g")) { ["prompt_memory_bank"] = "true" },
        "vpt" => new() { ["vit_prompt"] = "true", ["num_prompt"] = "2", ["prompt_depth"] = "2" },
        "bitfit" => new() { ["vit_bitfit"] = "true" },
        "adapter" => new() { ["adapter"] = "true", ["adapter_num_blocks"] = "2", ["adapter_bottleneck_dim"] = "4", ["adapter_attention"] = "backbone" },
        "full" => new() { ["full_fine_tune"] = "true" },
        _ => new(),
    };

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }

    private static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);

    private static (int R, int G, int B) Hue(double degrees)
    {
        var h = degrees / 60.0;
        var x = (int)(200 * (1 - Math.Abs(h % 2 - 1)));
        return (int)h switch
        {
            0 => (200, x, 0), 1 => (x, 200, 0), 2 => (0, 200, x),
            3 => (0, x, 200), 4 => (x, 0, 200), _ => (200, 0, x),
        };
    }
}

/// <summary>Records everything a run reports, for assertions.</summary>
public sealed class RecordingObserver : ITrainingObserver
{
    public List<StepProgress> Steps { get; } = new();
    public List<EpochReport> Epochs { get; } = new();
    public List<RunState> States { get; } = new();
    public List<string> Logs { get; } = new();
    public RunFacts? Facts { get; private set; }
    public Action<StepProgress>? OnEachStep { get; set; }

    public void OnStarted(RunFacts facts) => Facts = facts;
    public void OnStateChanged(RunState state, string? message) => States.Add(state);
    public void OnStep(StepProgress progress)
    {
        Steps.Add(progress);
        OnEachStep?.Invoke(progress);
    }
    public void OnEpoch(EpochReport report) => Epochs.Add(report);
    public void OnLog(string line) => Logs.Add(line);
}
