using VptSp.Core.Runtime;
using TorchSharp.Modules;
using VptSp.Core.Training;
using VptSp.Core.Training.Optimization;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Training;

public class GradScalerTests
{
    // loss = Σ w·x has gradient x: after unscaling the step must see exactly x whatever the scale
    private static (Parameter W, Tensor X) Problem()
    {
        var w = new Parameter(tensor(new float[] { 1f, 2f, 3f }));
        var x = tensor(new float[] { 0.5f, -1f, 2f });
        return (w, x);
    }

    // plain SGD (no momentum, no decay) over VptSp's own optimiser, as the trainer steps it
    private static ParameterOptimizer Sgd(Parameter w, double lr) =>
        new(UpdateRule.Create(OptimizerKind.Sgd, momentum: 0), new[] { new OptimizerGroup(new[] { w }, lr, 0) });

    [Fact]
    public void ScaledBackwardThenUnscaledStepGivesTheUnscaledGradient()
    {
        var (w, x) = Problem();
        using var opt = Sgd(w, 0.1);
        var scaler = new GradScaler(enabled: true, initScale: 1024);
        using (var scope = NewDisposeScope())
        {
            var loss = w.mul(x).sum();
            using var scaled = scaler.ScaleLoss(loss);
            Assert.Equal(1024.0 * (0.5 - 2 + 6), scaled.item<float>(), 3);
            scaled.backward();
            Assert.True(scaler.Step(opt, new[] { w }));
            scaler.Update();
        }
        // w − 0.1·x = [0.95, 2.1, 2.8]
        Assert.Equal(new[] { 0.95f, 2.1f, 2.8f }, w.data<float>().ToArray(), new ToleranceComparer(1e-6f));
        Assert.Equal(1024.0, scaler.Scale);
        Assert.Equal(1, scaler.GrowthTracker);
    }

    [Fact]
    public void AnInfiniteGradientSkipsTheStepAndHalvesTheScale()
    {
        var (w, x) = Problem();
        using var opt = Sgd(w, 0.1);
        var scaler = new GradScaler(enabled: true, initScale: 1024);
        using (var scope = NewDisposeScope())
        {
            using var inf = tensor(new float[] { 1f, float.PositiveInfinity, 1f });
            scaler.ScaleLoss(w.mul(x).mul(inf).sum()).backward();
            Assert.False(scaler.Step(opt, new[] { w }));
            scaler.Update();
        }
        Assert.Equal(new[] { 1f, 2f, 3f }, w.data<float>().ToArray());
        Assert.Equal(512.0, scaler.Scale);
        Assert.Equal(0, scaler.GrowthTracker);
        Assert.Equal(1, scaler.SkippedSteps);
    }

    [Fact]
    public void ANaNGradientInOneOptimiserSkipsOnlyThatOneButBacksOffTheScale()
    {
        var (w, x) = Problem();
        var v = new Parameter(tensor(new float[] { 1f }));
        using var optW = Sgd(w, 0.1);
        using var optV = Sgd(v, 0.1);
        var scaler = new GradScaler(enabled: true, initScale: 8);
        using (var scope = NewDisposeScope())
        {
            using var nan = tensor(new float[] { float.NaN, 1f, 1f });
            scaler.ScaleLoss(w.mul(x).mul(nan).sum().Plus(v.sum())).backward();
            Assert.False(scaler.Step(optW, new[] { w }));
            Assert.True(scaler.Step(optV, new[] { v }));
            scaler.Update();
        }
        Assert.Equal(new[] { 1f, 2f, 3f }, w.data<float>().ToArray());
        Assert.Equal(0.9f, v.data<float>()[0], 6);   // 1 − 0.1·1, unscaled
        Assert.Equal(4.0, scaler.Scale);
    }

    [Fact]
    public void TheScaleDoublesAfterGrowthIntervalCleanStepsAndNotBefore()
    {
        var (w, x) = Problem();
        using var opt = Sgd(w, 0.01);
        var scaler = new GradScaler(enabled: true, initScale: 16, growthInterval: 3);
        var scales = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            using var scope = NewDisposeScope();
            opt.ZeroGrad();
            scaler.ScaleLoss(w.mul(x).sum()).backward();
            scaler.Step(opt, new[] { w });
            scaler.Update();
            scales.Add(scaler.Scale);
        }
        Assert.Equal(new[] { 16.0, 16, 32, 32, 32, 64, 64 }, scales);
    }

    [Fact]
    public void ADisabledScalerPassesTheLossThroughAndAlwaysSteps()
    {
        var (w, x) = Problem();
        using var opt = Sgd(w, 0.1);
        var scaler = new GradScaler(enabled: false);
        using var scope = NewDisposeScope();
        var loss = w.mul(x).sum();
        Assert.Same(loss, scaler.ScaleLoss(loss));
        loss.backward();
        Assert.True(scaler.Step(opt, new[] { w }));
        scaler.Update();
        Assert.Equal(0.95f, w.data<float>()[0], 6);
    }

    [Theory]
    [InlineData(0.0, 2.0, 0.5, 10, "initScale")]
    [InlineData(1.0, 1.0, 0.5, 10, "growthFactor")]
    [InlineData(1.0, 2.0, 1.0, 10, "backoffFactor")]
    [InlineData(1.0, 2.0, 0.5, 0, "growthInterval")]
    public void InvalidSettingsAreRejectedByName(double init, double growth, double backoff, int interval, string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(true, init, growth, backoff, interval));
        Assert.Equal(name, e.ParamName);
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(float f) => 0;
    }
}
