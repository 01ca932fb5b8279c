using VptSp.Core.Training;
using VptSp.Core.Runtime;
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
        using var bf16 = new MetricModel(TinyModels.Options(method, c => c with { Bf16 = Bf16Mode.On }));
        var x = randn(4, 3, 32, 32);
        using var a = fp32.Embed(x);
        using var b = bf16.Embed(x);
        Assert.Equal(ScalarType.Float32, b.dtype);
        var cos = (a * b).sum(1);
        Assert.True(cos.min().item<float>() >= 0.999f, $"min cosine {cos.min().item<float>()}");
        Assert.False(a.allclose(b, 0, 0));   // bf16 really ran
    }

    [Fact]
    public void Bf16StoresOnlyFrozenMatrixWeightsLowAndKeepsNormsEmbeddingsAndTrainableTensorsFp32()
    {
        using var m = new MetricModel(TinyModels.Options("vptsp_g", c => c with { Bf16 = Bf16Mode.On }));
        foreach (var (name, p) in m.named_parameters())
        {
            var matrix = name.Contains(".qkv.") || name.Contains(".proj.") || name.Contains(".fc1.") || name.Contains(".fc2.");
            var expected = !p.requires_grad && matrix ? ScalarType.BFloat16 : ScalarType.Float32;
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

    [Fact]
    public void InsideAnAutocastRegionLinearRunsInBf16AndLayerNormAndTheResidualStreamInFp32()
    {
        using var seed = Init.Seeded(2);
        using var block = new Block("0", 32, 4, 64);
        using var dense = new Dense("fc", 32, 8);
        using var norm = new Norm("norm", 32);
        using var scope = NewDisposeScope();
        var x = randn(3, 5, 32);
        using var cast = Autocast.Enter(ScalarType.BFloat16);
        Assert.Equal(ScalarType.BFloat16, dense.call(x).dtype);
        Assert.Equal(ScalarType.Float32, norm.call(x.to(ScalarType.BFloat16)).dtype);
        Assert.Equal(ScalarType.Float32, block.call(x).dtype);
    }

    [Fact]
    public void AutocastLinearEqualsTheFp32ProductOfBf16RoundedOperandsRoundedToBf16()
    {
        using var seed = Init.Seeded(4);
        using var dense = new Dense("fc", 16, 6);
        using var scope = NewDisposeScope();
        var x = randn(4, 16);
        static Tensor Round(Tensor t) => t.to(ScalarType.BFloat16).to(ScalarType.Float32);
        var expected = Round(nn.functional.linear(Round(x), Round(dense.Weight), Round(dense.Bias!)));
        Tensor actual;
        using (Autocast.Enter(ScalarType.BFloat16)) actual = dense.call(x).to(ScalarType.Float32);
        // one bf16 rounding of the result apart at most (relative 2⁻⁸)
        var tol = expected.abs().mul(tensor(1.0 / 128)).Plus(tensor(1e-6));
        Assert.True(actual.sub(expected).abs().le(tol).all().item<bool>(),
            $"max difference {actual.sub(expected).abs().max().item<float>()}");
        using (Autocast.Enter(null)) Assert.Equal(ScalarType.Float32, dense.call(x).dtype);
    }
}
