using TorchSharp;
using VptSp.Core.MetricLearning;
using static TorchSharp.torch;
using VptSp.Core.Runtime;
using VptSp.Core.Training;

namespace VptSp.Tests.Core.MetricLearning;

public class ProxyAnchorLossTests
{
    // Batch: x0 (1,0) class 0, x1 (0,1) class 1, x2 (0.6,0.8) class 0.
    // Proxies: p0 (1,0) class 0, p1 (0,1) class 1, p2 (−1,0) class 2 — p2 has no positive in the batch.
    // Cosine similarities s (rows x, columns p):
    //   x0:  1    0   −1
    //   x1:  0    1    0
    //   x2:  0.6  0.8 −0.6
    // α = 32, δ⁺ = 0.1, δ⁻ = −0.1: positive weight −32(s − 0.1), negative weight 32(s + 0.1):
    //   s = 1 → pos −28.8;  s = 0.6 → pos −16
    //   s = 0 → neg 3.2;  s = 0.8 → neg 28.8;  s = −1 → neg −28.8;  s = −0.6 → neg −16
    private static float[] Embeddings => [1, 0, 0, 1, 0.6f, 0.8f];
    private static float[] Proxies => [1, 0, 0, 1, -1, 0];

    /// <summary>The paper's values (α = 32, δ = 0.1), as the reference configs set them.</summary>
    private static ProxyAnchorLoss Loss(ProxyLossMode mode) => new(new ProxyAnchorLossOptions
    {
        Mode = mode, PosAlpha = 32, NegAlpha = 32, PosDelta = 0.1, NegDelta = -0.1, Range = ProxyDataRange.InBatch,
    });

    private static double L(params double[] exponents) => Math.Log(1 + exponents.Sum(Math.Exp));

    private static double Compute(ProxyLossMode mode, float[] proxies, long[] proxyIds, long[] labels)
    {
        using var scope = NewDisposeScope();
        var x = tensor(Embeddings, new long[] { 3, 2 });
        var p = tensor(proxies, new long[] { proxyIds.Length, 2 });
        var loss = Loss(mode)
            .Forward(x, tensor(labels), p, tensor(proxyIds));
        return loss.item<float>();
    }

    [Fact]
    public void ProxyAnchorLossMatchesHandComputedValue()
    {
        // Anchor: per proxy, log(1 + Σ over the batch); mean over the M = 3 proxies.
        //   pos p0 {x0, x2}: L(−28.8, −16);  pos p1 {x1}: L(−28.8);  pos p2: no positives → 0 (still counted)
        //   neg p0 {x1}: L(3.2);  neg p1 {x0, x2}: L(3.2, 28.8);  neg p2 {x0, x1, x2}: L(−28.8, 3.2, −16)
        // loss = (L(−28.8,−16) + L(−28.8) + 0)/3 + (L(3.2) + L(3.2,28.8) + L(−28.8,3.2,−16))/3
        //      ≈ (1.1e−7 + 3e−13)/3 + (3.2400 + 28.8000 + 3.2400)/3 ≈ 11.76
        var expected = (L(-28.8, -16) + L(-28.8) + 0) / 3 + (L(3.2) + L(3.2, 28.8) + L(-28.8, 3.2, -16)) / 3;
        var actual = Compute(ProxyLossMode.Anchor, Proxies, [0, 1, 2], [0, 1, 0]);
        Assert.Equal(expected, actual, 1e-4);
        Assert.Equal(11.76, expected, 0.01);
    }

    [Fact]
    public void NcaModeReducesOverProxiesPerSample()
    {
        // Per sample, log(1 + Σ over proxies); mean over the B = 3 samples.
        //   pos x0 {p0}: L(−28.8);  pos x1 {p1}: L(−28.8);  pos x2 {p0}: L(−16)
        //   neg x0 {p1, p2}: L(3.2, −28.8);  neg x1 {p0, p2}: L(3.2, 3.2);  neg x2 {p1, p2}: L(28.8, −16)
        var expected = (L(-28.8) + L(-28.8) + L(-16)) / 3 + (L(3.2, -28.8) + L(3.2, 3.2) + L(28.8, -16)) / 3;
        var actual = Compute(ProxyLossMode.Nca, Proxies, [0, 1, 2], [0, 1, 0]);
        Assert.Equal(expected, actual, 1e-4);
    }

    [Fact]
    public void InBatchProxiesAreMatchedByClassIdNotByPosition()
    {
        // in_batch: only the batch's classes, given in the order p1, p0 (ids 1, 0); M = 2.
        //   pos: p1 L(−28.8), p0 L(−28.8, −16);  neg: p1 L(3.2, 28.8), p0 L(3.2)
        var expected = (L(-28.8) + L(-28.8, -16)) / 2 + (L(3.2, 28.8) + L(3.2)) / 2;
        var actual = Compute(ProxyLossMode.Anchor, [0, 1, 1, 0], [1, 0], [0, 1, 0]);
        Assert.Equal(expected, actual, 1e-4);
    }

    [Fact]
    public void InBatchClassIdsAreTheBatchClassesAscending()
    {
        using var scope = NewDisposeScope();
        var ids = ProxyAnchorLoss.InBatchClassIds(tensor(new long[] { 2, 0, 2, 5, 0 }));
        Assert.Equal(new long[] { 0, 2, 5 }, ids.data<long>().ToArray());
    }

    [Fact]
    public void LossIsInvariantToTheScaleOfEmbeddingsAndProxies()
    {
        using var scope = NewDisposeScope();
        var loss = Loss(ProxyLossMode.Anchor);
        var x = tensor(Embeddings, new long[] { 3, 2 });
        var p = tensor(Proxies, new long[] { 3, 2 });
        var labels = tensor(new long[] { 0, 1, 0 });
        var ids = tensor(new long[] { 0, 1, 2 });
        var a = loss.Forward(x, labels, p, ids).item<float>();
        var b = loss.Forward(x.Times(7), labels, p.Times(0.2), ids).item<float>();
        Assert.Equal(a, b, 1e-4);
    }

    [Fact]
    public void GradientsFlowToEmbeddingsAndToEveryProxy()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 0.9f, 0.2f, 0.1f, 1, 0.5f, 0.7f }, new long[] { 3, 2 }).requires_grad_();
        var p = tensor(new float[] { 1, 0.1f, 0.2f, 1, -1, 0.3f }, new long[] { 3, 2 }).requires_grad_();
        var loss = Loss(ProxyLossMode.Anchor).Forward(x, tensor(new long[] { 0, 1, 0 }), p, tensor(new long[] { 0, 1, 2 }));
        loss.backward();
        using var gx = x.grad;
        using var gp = p.grad;
        Assert.NotNull(gx);
        Assert.NotNull(gp);
        Assert.True(gx!.isfinite().all().item<bool>());
        Assert.True(gp!.isfinite().all().item<bool>());
        // p2 (no positives) still learns from its negatives.
        for (var m = 0; m < 3; m++) Assert.True(gp[m].abs().sum().item<float>() > 1e-6f, $"proxy {m} got no gradient");
        Assert.True(gx.abs().sum().item<float>() > 1e-6f);
    }

    [Fact]
    public void MismatchedShapesAreRejected()
    {
        using var scope = NewDisposeScope();
        var loss = Loss(ProxyLossMode.Anchor);
        Assert.Throws<ArgumentException>(() =>
            loss.Forward(zeros(3, 2), tensor(new long[] { 0, 1 }), zeros(3, 2), tensor(new long[] { 0, 1, 2 })));
        Assert.Throws<ArgumentException>(() =>
            loss.Forward(zeros(3, 2), tensor(new long[] { 0, 1, 0 }), zeros(3, 4), tensor(new long[] { 0, 1, 2 })));
    }

    [Fact]
    public void ModeNamesParseAsInTheSeedConfig()
    {
        Assert.Equal(ProxyLossMode.Anchor, TrainingConfigYaml.Parse("loss_oproxy_mode: anchor\n").LossOproxyMode);
        Assert.Equal(ProxyLossMode.Nca, TrainingConfigYaml.Parse("loss_oproxy_mode: nca\n").LossOproxyMode);
        var error = Assert.Throws<ConfigException>(() => TrainingConfigYaml.Parse("loss_oproxy_mode: triplet\n"));
        Assert.Contains("loss_oproxy_mode", error.Message);
        Assert.Contains("anchor, nca", error.Message);
    }
}
