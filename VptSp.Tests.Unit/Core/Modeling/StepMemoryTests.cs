using VptSp.Core.Training;
using TorchSharp;
using VptSp.Core.Modeling;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Modeling;

public class StepMemoryTests
{
    [Theory]
    [InlineData("vptsp_g")]
    [InlineData("bitfit")]
    public void RepeatedTrainingStepsLeaveNoLiveTensorsBehind(string method)
    {
        using var m = new MetricModel(TinyModels.Options(method, c => c with { Bf16 = method == "bitfit" ? Bf16Mode.On : Bf16Mode.Off }));
        m.train();
        using var opt = optim.AdamW(m.ModelParameters(), 1e-3);
        using var popt = optim.AdamW(m.ProxyParameters(), 1e-2);
        using var x = randn(4, 3, 32, 32);
        using var y = tensor(new long[] { 2, 2, 7, 7 });
        void Step()
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            popt.zero_grad();
            var o = m.ForwardTrain(x, y);
            var loss = o.Embeddings.mm(o.AllProxies.t()).logsumexp(1).mean() - o.BatchProxies.sum();
            loss.backward();
            opt.step();
            popt.step();
            m.AfterStep(1e-3);
            Assert.True(float.IsFinite(loss.item<float>()));
        }
        for (var i = 0; i < 3; i++) Step();
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 20; i++) Step();
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        using (var e = m.Embed(x)) { }
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}

public class ModelLifetimeTests
{
    [Fact]
    public void ModelBuiltInsideADisposeScopeSurvivesTheScope()
    {
        MetricModel m;
        using (var scope = NewDisposeScope())
            m = new MetricModel(TinyModels.Options("vptsp_g", c => c with { Bf16 = Bf16Mode.On }));
        using (m)
        {
            Assert.All(m.parameters(), p => Assert.False(p.IsInvalid));
            using var x = randn(2, 3, 32, 32);
            using var e = m.Embed(x);
            Assert.Equal(new long[] { 2, 16 }, e.shape);
            Assert.Equal(m.TrainableNames().Count - 2 /* bank rows */, m.ModelParameters().Count + 1);
        }
    }
}
