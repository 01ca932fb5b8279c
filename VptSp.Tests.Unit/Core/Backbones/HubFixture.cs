using TorchSharp.PyBridge;
using VptSp.Core.Backbones.Hub;
using VptSp.Core.Modeling;
using VptSp.Tests.Support.Hub;

namespace VptSp.Tests.Core.Backbones;

/// <summary>A loopback Hub serving a vit_test_patch8_32-shaped checkpoint as <c>timm/vit_test_patch8_32.hubtest</c>, and an empty cache.</summary>
public sealed class HubFixture : IDisposable
{
    public const string Name = "vit_test_patch8_32.hubtest";
    public const string Repo = "timm/" + Name;
    public const string ConfigJson = """
        {"architecture": "vit_test_patch8_32", "num_classes": 0, "pretrained_cfg": {"tag": "hubtest", "input_size": [3, 32, 32],
         "interpolation": "bilinear", "crop_pct": 1.0, "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]}}
        """;

    public HubFixture()
    {
        Dir = Directory.CreateTempSubdirectory("vptsp-hub-").FullName;
        Source = Path.Combine(Dir, "source.safetensors");
        using (var vit = new VisionTransformer(VitPresets.Get("vit_test_patch8_32"))) vit.save_safetensors(Source);
        Bytes = File.ReadAllBytes(Source);
        Sha = Hub.Add(Repo, PretrainedBackbones.WeightsFile, Bytes);
        Hub.Add(Repo, PretrainedCfg.FileName, System.Text.Encoding.UTF8.GetBytes(ConfigJson));
        CacheDir = Path.Combine(Dir, "hub-cache");
    }

    public LoopbackHub Hub { get; } = new();
    public string Dir { get; }
    public string Source { get; }
    public byte[] Bytes { get; }
    public string Sha { get; }
    public string CacheDir { get; }

    public HubSettings Settings(bool offline = false, string? token = null) => new(Hub.Endpoint, token, offline, CacheDir);

    public HubCache Cache => new(CacheDir, Repo);

    public void Dispose()
    {
        Hub.Dispose();
        Directory.Delete(Dir, recursive: true);
    }
}
