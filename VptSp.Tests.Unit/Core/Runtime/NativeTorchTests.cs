using TorchSharp.PyBridge;
using VptSp.Core.Runtime;
using VptSp.Tests.Support;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Runtime;

public class NativeTorchTests
{
    [Fact]
    public void MatrixProductMatchesHandComputedValue()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        using var b = tensor(new float[] { 5, 6, 7, 8 }, new long[] { 2, 2 });
        using var c = a.mm(b);
        // [[1·5+2·7, 1·6+2·8], [3·5+4·7, 3·6+4·8]]
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
    }

    [Fact]
    public void TinyVitSafetensorsHasTimmTensorNamesAndShapes()
    {
        var dict = Safetensors.LoadStateDict(Path.Combine(TestPaths.TinyVitDir, "tiny_vit.safetensors"));
        try
        {
            Assert.Equal(new long[] { 1, 1, 48 }, dict["cls_token"].shape);
            Assert.Equal(new long[] { 1, 17, 48 }, dict["pos_embed"].shape);
            Assert.Equal(new long[] { 48, 3, 8, 8 }, dict["patch_embed.proj.weight"].shape);
            Assert.Equal(new long[] { 144, 48 }, dict["blocks.1.attn.qkv.weight"].shape);
            Assert.Equal(new long[] { 5, 48 }, dict["head.weight"].shape);
            Assert.Equal(2, dict.Keys.Count(k => k.EndsWith(".attn.qkv.weight", StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var t in dict.Values) t.Dispose();
        }
    }

    [Fact]
    public void RuntimeDescribesTheCpuDevice()
    {
        var info = TorchRuntime.Describe();
        Assert.Equal("cpu", info.Device);
        Assert.Equal("0.107.0", info.TorchSharpVersion);
        Assert.True(info.TorchThreads >= 1);
    }
}
