using VptSp.Core.Modeling;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Modeling;

public class PrecisionTests
{
    [Theory]
    [InlineData("vptsp_g")]
    [InlineData("bitfit")]
    [InlineData("adapter")]
    public void Bf16FeaturesStayWithinCosine0999OfFp32(string method)
    {
        using var fp32 = new MetricModel(TinyModels.Options(method));
        using var bf16 = new MetricModel(TinyModels.Options(method) with { Bf16 = true });
        var x = randn(4, 3, 32, 32);
        using var a = fp32.Embed(x);
        using var b = bf16.Embed(x);
        Assert.Equal(ScalarType.Float32, b.dtype);
        var cos = (a * b).sum(1);
        Assert.True(cos.min().item<float>() >= 0.999f, $"min cosine {cos.min().item<float>()}");
        Assert.False(a.allclose(b, 0, 0));   // bf16 really ran
    }

    [Fact]
    public void Bf16KeepsFrozenWeightsLowAndTrainableTensorsFp32()
    {
        using var m = new MetricModel(TinyModels.Options("vptsp_g") with { Bf16 = true });
        foreach (var (name, p) in m.named_parameters())
        {
            var expected = p.requires_grad ? ScalarType.Float32 : ScalarType.BFloat16;
            Assert.True(p.dtype == expected, $"{name}: {p.dtype}");
        }
        Assert.Contains(m.ModelParameters(), p => p.dtype == ScalarType.Float32 && p.shape.SequenceEqual(new long[] { 96 }));   // a qkv bias, fp32 master
        m.train();
        using var scope = NewDisposeScope();
        var o = m.ForwardTrain(randn(4, 3, 32, 32), tensor(new long[] { 0, 0, 9, 9 }));
        (o.Embeddings.mm(o.AllProxies.t()).sum()).backward();
        foreach (var p in m.ModelParameters())
        {
            using var g = p.grad;
            Assert.True(g is not null && g.dtype == ScalarType.Float32);
        }
        m.AfterStep(0.01);
    }
}
