using TorchSharp;
using VptSp.Core.Modeling;
using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Tests.Core.Modeling;

public class ProxyFormulaTests
{
    private static (Tensor All, Tensor Batch, Tensor Bias, Tensor Before, Tensor After) Step(double rho, string mix = "gru_relu")
    {
        var m = new MetricModel(TinyModels.Options("vptsp_g", c => c with { ProxyBiasRatio = rho, SemanticMixType = EnumNames.Parse<SemanticMixType>(mix) }));
        m.train();
        var before = m.ProxyContainerValues!.clone();
        var o = m.ForwardTrain(randn(4, 3, 32, 32), tensor(new long[] { 5, 5, 2, 2 }));
        var result = (o.AllProxies.detach().clone(), o.BatchProxies.detach().clone(), m.ProxyParameters()[0].detach().clone(),
            before, m.ProxyContainerValues!.clone());
        m.DiscardStep();
        m.Dispose();
        return result;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    [InlineData(1.0)]
    public void AllProxiesAreTheBiasRatioBlendOfBiasAndUpdatedContainer(double rho)
    {
        using var scope = NewDisposeScope();
        var (all, _, bias, before, after) = Step(rho);
        using var expected = bias.Times(rho).Plus(after.Times(1 - rho));
        Assert.True(all.allclose(expected, 1e-6, 1e-6));
        // rows of classes outside the batch keep the old container
        var others = tensor(new long[] { 0, 1, 3, 4, 6, 7, 8, 9 });
        Assert.True(after.index_select(0, others).allclose(before.index_select(0, others), 1e-6, 1e-6));
    }

    [Fact]
    public void WithoutBiasTheBatchProxiesAreTheUpdatedContainerRows()
    {
        using var scope = NewDisposeScope();
        var (_, batch, _, _, after) = Step(0.0);
        // π_c = normalise(h_c) and the container row c becomes normalise(h_c)
        Assert.True(batch.allclose(after.index_select(0, tensor(new long[] { 5, 2 })), 1e-5, 1e-6));
    }

    [Fact]
    public void WithFullBiasTheBatchProxiesAreTheNormalisedBiasRows()
    {
        using var scope = NewDisposeScope();
        var (_, batch, bias, _, _) = Step(1.0, "mix");
        var rows = bias.index_select(0, tensor(new long[] { 5, 2 }));
        Assert.True(batch.allclose(nn.functional.normalize(rows, dim: -1), 1e-5, 1e-6));
    }
}
