using VptSp.Core.Runtime;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using VptSp.Core.Training.Optimization;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Training;

/// <summary>
/// VptSp's own SGD/Adam/AdamW (<see cref="ParameterOptimizer"/>) against torch.optim trajectories made with Debian's
/// torch 1.13 (tools/reference-parity/make_optimizer_fixture.py) and against TorchSharp's optimisers.
/// </summary>
public class OptimizerTests
{
    private const int Steps = 50;

    private static JsonElement Fixture() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Optimizers", "torch_optim_50_steps.json"))).RootElement;

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(x => (float)x.GetDouble()).ToArray();

    /// <summary>target_t[i] = sin(0.7 t + 0.37 i) computed in double and rounded to float, as the fixture script does.</summary>
    private static Tensor Target(int t, int n) => tensor(Enumerable.Range(0, n).Select(i => (float)Math.Sin(0.7 * t + 0.37 * i)).ToArray());

    private sealed record Setup(Parameter A, Parameter B, Parameter C, ParameterOptimizer Optimizer);

    private static Setup Build(string kind, double lr, double wd, double momentum)
    {
        var a = new Parameter(tensor(Enumerable.Range(0, 12).Select(i => (float)Math.Cos(0.5 * i)).ToArray()).view(3, 4));
        var b = new Parameter(tensor(Enumerable.Range(0, 5).Select(i => (float)(0.1 * i - 0.2)).ToArray()));
        var c = new Parameter(ones(2));
        var opt = new ParameterOptimizer(UpdateRule.Create(EnumNames.Parse<OptimizerKind>(kind), momentum),
            [new OptimizerGroup([a, c], lr, wd), new OptimizerGroup([b], lr * 0.5, 0)]);
        return new Setup(a, b, c, opt);
    }

    /// <summary>One fixture step: gradients g = p − target_t on A and B, none on C.</summary>
    private static void Step(Setup s, int t)
    {
        using var scope = NewDisposeScope();
        s.Optimizer.ZeroGrad();
        using (no_grad())
        {
            // the parameter keeps its own reference to the gradient; the scope disposes only these wrappers
            s.A.grad = s.A.detach().sub(Target(t, 12).view(3, 4));
            s.B.grad = s.B.detach().sub(Target(t, 5));
        }
        s.Optimizer.Step();
    }

    private static void Run(Setup s, int from, int to)
    {
        for (var t = from; t <= to; t++)
        {
            Step(s, t);
            if (t == 25) foreach (var g in s.Optimizer.Groups) g.LearningRate *= 0.3;
        }
    }

    private static void AssertClose(float[] expected, Tensor actual, double tol, string what)
    {
        var got = actual.detach().flatten().data<float>().ToArray();
        Assert.Equal(expected.Length, got.Length);
        for (var i = 0; i < got.Length; i++)
            Assert.True(Math.Abs(got[i] - expected[i]) <= tol, $"{what}[{i}]: {got[i]} vs torch.optim {expected[i]}");
    }

    [Theory]
    [InlineData("sgd_momentum")]
    [InlineData("sgd_plain")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void FiftyStepsWithTwoGroupsAndAnLrChangeMatchTorchOptimToOneMillionth(string name)
    {
        var c = Fixture().GetProperty("cases").GetProperty(name);
        var momentum = c.TryGetProperty("momentum", out var m) ? m.GetDouble() : 0;
        var s = Build(c.GetProperty("kind").GetString()!, c.GetProperty("lr").GetDouble(), c.GetProperty("wd").GetDouble(), momentum);
        using var opt = s.Optimizer;
        Step(s, 1);
        AssertClose(Floats(c.GetProperty("after_step_1").GetProperty("a")), s.A, 1e-7, $"{name} step 1 A");
        Run(s, 2, Steps);
        var final = c.GetProperty("final");
        AssertClose(Floats(final.GetProperty("a")), s.A, 1e-6, $"{name} A");
        AssertClose(Floats(final.GetProperty("b")), s.B, 1e-6, $"{name} B");
        AssertClose(Floats(final.GetProperty("c")), s.C, 0, $"{name} C (no gradient, never stepped)");
        Assert.Equal(Steps, opt.StepCount(0));
        Assert.Equal(0, opt.StepCount(1));
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void FiftyStepsMatchTorchSharpsOwnOptimiser(string kind)
    {
        const double lr = 0.01, wd = 0.02;
        var ours = Build(kind, lr, wd, 0.9);
        using var opt = ours.Optimizer;
        var theirsParam = new Parameter(ours.A.detach().clone());
        using optim.Optimizer theirs = kind switch
        {
            "sgd" => torch.optim.SGD([theirsParam], lr, momentum: 0.9, weight_decay: wd),
            "adam" => torch.optim.Adam([theirsParam], lr, weight_decay: wd),
            _ => torch.optim.AdamW([theirsParam], lr, weight_decay: wd),
        };
        for (var t = 1; t <= Steps; t++)
        {
            Step(ours, t);
            using var scope = NewDisposeScope();
            theirs.zero_grad();
            using (no_grad()) theirsParam.grad = theirsParam.detach().sub(Target(t, 12).view(3, 4));
            theirs.step();
        }
        var diff = (ours.A - theirsParam).abs().max().ReadSingle();
        Assert.True(diff <= 1e-6, $"{kind}: largest difference to TorchSharp's optimiser after {Steps} steps is {diff}");
    }

    [Theory]
    [InlineData("sgd_momentum")]
    [InlineData("adamw")]
    public void StateSavedAfterTwentyStepsResumesTheSameTrajectory(string name)
    {
        var c = Fixture().GetProperty("cases").GetProperty(name);
        var kind = c.GetProperty("kind").GetString()!;
        var (lr, wd) = (c.GetProperty("lr").GetDouble(), c.GetProperty("wd").GetDouble());
        var first = Build(kind, lr, wd, 0.9);
        using var firstOpt = first.Optimizer;
        Run(first, 1, 20);
        var file = Path.Combine(Path.GetTempPath(), $"vptsp-opt-{Guid.NewGuid():N}.safetensors");
        try
        {
            firstOpt.Save(file);
            // a fresh optimiser over parameters holding the same values continues from the saved state
            var second = Build(kind, lr, wd, 0.9);
            using var secondOpt = second.Optimizer;
            using (no_grad())
            {
                second.A.copy_(first.A);
                second.B.copy_(first.B);
            }
            secondOpt.Load(file);
            Assert.Equal(20, secondOpt.StepCount(0));
            Run(first, 21, Steps);
            Run(second, 21, Steps);
            Assert.True(first.A.equal(second.A).all().item<bool>(), "A differs after resume");
            Assert.True(first.B.equal(second.B).all().item<bool>(), "B differs after resume");
            var final = c.GetProperty("final");
            AssertClose(Floats(final.GetProperty("a")), second.A, 1e-6, $"{name} resumed A");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adamw")]
    public void StepsLeaveNoLiveTensorsBehind(string kind)
    {
        var s = Build(kind, 0.01, 0.01, 0.9);
        using var opt = s.Optimizer;
        Run(s, 1, 3);
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Run(s, 4, 30);
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void LoadingStateOfAnotherOptimiserKindFailsNamingTheEntry()
    {
        var adam = Build("adamw", 0.01, 0, 0.9);
        using var adamOpt = adam.Optimizer;
        Run(adam, 1, 2);
        var sgd = Build("sgd", 0.01, 0, 0.9);
        using var sgdOpt = sgd.Optimizer;
        var state = adamOpt.StateDict();
        try
        {
            var ex = Assert.Throws<InvalidDataException>(() => sgdOpt.LoadStateDict(state));
            Assert.Contains("momentum_buffer", ex.Message);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }

    [Fact]
    public void AnOldTorchSharpOptimiserCheckpointIsRejectedWithAClearMessage()
    {
        var dir = Directory.CreateTempSubdirectory("vptsp-oldckpt-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "optimizer_model.bin"), [0]);
            var s = Build("adamw", 0.01, 0, 0.9);
            using var set = new VptSp.Core.Training.OptimizerSet(new VptSp.Core.Training.TrainingConfig { Optim = OptimizerKind.AdamW }, [s.A], [s.B]);
            var ex = Assert.Throws<InvalidDataException>(() => set.Load(dir));
            Assert.Contains("older VptSp", ex.Message);
            s.Optimizer.Dispose();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void AParameterInTwoGroupsIsRejected()
    {
        var p = new Parameter(zeros(2));
        var ex = Assert.Throws<ArgumentException>(() => new ParameterOptimizer(new AdamRule(), [new OptimizerGroup([p], 0.1, 0), new OptimizerGroup([p], 0.1, 0)]));
        Assert.Contains("more than one optimiser group", ex.Message);
    }
}
