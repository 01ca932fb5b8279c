using VptSp.Core.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using VptSp.Core.Modeling;
using VptSp.Core.Training.Optimization;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Modeling;

public class ClassPromptBankTests
{
    [Theory]
    [InlineData("adamw", 0.05)]
    [InlineData("adam", 0.05)]
    [InlineData("sgd", 0.05)]
    public void BankUpdateMatchesTorchOptimiserOnTheBatchRows(string optim, double decay)
    {
        manual_seed(2);
        using var bank = new ClassPromptBank(6, 2, 1, 0, 4, EnumNames.Parse<OptimizerKind>(optim), decay);
        var rows = new[] { 4L, 1L };
        // the same rows as a dense parameter driven by TorchSharp's optimiser
        var dense = new Parameter(bank.Rows[0].index_select(0, tensor(rows)).clone());
        optim.Optimizer opt = optim switch
        {
            "adamw" => torch.optim.AdamW(new[] { dense }, 0.1, weight_decay: decay),
            "adam" => torch.optim.Adam(new[] { dense }, 0.1, weight_decay: decay),
            _ => torch.optim.SGD(new[] { dense }, 0.1, momentum: 0.9, weight_decay: decay),
        };
        var untouched = bank.Rows[0].index_select(0, tensor(new long[] { 0, 2, 3, 5 })).clone();
        for (var step = 0; step < 3; step++)
        {
            var target = randn(2, 2, 4);
            var batch = bank.Gather(tensor(rows), CPU);
            (batch.Leaves[0] * target).pow(Scalars.Two).sum().backward();
            bank.Apply(batch, 0.1);
            opt.zero_grad();
            (dense * target).pow(Scalars.Two).sum().backward();
            opt.step();
        }
        Assert.True(bank.Rows[0].index_select(0, tensor(rows)).allclose(dense, 1e-5, 1e-6));
        Assert.True(bank.Rows[0].index_select(0, tensor(new long[] { 0, 2, 3, 5 })).allclose(untouched, 0, 0));
    }

    [Fact]
    public void BankUsesOneGlobalAdamStepCountPerBlockAsTheReference()
    {
        manual_seed(4);
        using var bank = new ClassPromptBank(3, 1, 1, 0, 2, OptimizerKind.AdamW, 0);
        // step 1: class 0 only; step 2: classes 0 and 2, every gradient 1
        var b = bank.Gather(tensor(new long[] { 0 }), CPU);
        b.Leaves[0].sum().backward();
        bank.Apply(b, 0.1);
        var before = bank.Rows[0][2].clone();
        b = bank.Gather(tensor(new long[] { 0, 2 }), CPU);
        b.Leaves[0].sum().backward();
        bank.Apply(b, 0.1);
        Assert.Equal(2, bank.StepCount(0));
        // class 2's first update is bias-corrected with the global step t = 2 (m = 0.1, v = 0.001):
        // lr/(1 − 0.9²) · m / (√v/√(1 − 0.999²) + 1e-8) = 0.0744…, not lr = 0.1 as a per-class count t = 1 would give
        var expected = 0.1 / (1 - 0.9 * 0.9) * 0.1 / (Math.Sqrt(0.001) / Math.Sqrt(1 - 0.999 * 0.999) + 1e-8);
        var moved = (before - bank.Rows[0][2]).data<float>().ToArray();
        Assert.All(moved, v => Assert.Equal(expected, v, 6));
    }

    [Fact]
    public void BankStateRoundTripsWithItsGlobalStepCounts()
    {
        manual_seed(5);
        using var bank = new ClassPromptBank(4, 2, 2, 1, 3, OptimizerKind.AdamW, 0.05);
        for (var step = 0; step < 3; step++)
        {
            var b = bank.Gather(tensor(new long[] { step, 3 }), CPU);
            using var one = 1.0.ToScalar();
            b.Leaves[0].sum().add(b.Leaves[1].square().sum(), one).backward();
            bank.Apply(b, 0.1);
        }
        var state = bank.OptimizerState();
        try
        {
            Assert.Equal(new[] { "exp_avg.0", "exp_avg.1", "exp_avg_sq.0", "exp_avg_sq.1", "step.0", "step.1" }, state.Keys.Order());
            Assert.Equal(3L, state["step.1"].item<long>());
            using var other = new ClassPromptBank(4, 2, 2, 1, 3, OptimizerKind.AdamW, 0.05);
            other.LoadOptimizerState(state);
            Assert.Equal(3, other.StepCount(0));
            var again = other.OptimizerState();
            foreach (var (k, v) in again) Assert.True(v.equal(state[k]).all().item<bool>(), k);
            foreach (var v in again.Values) v.Dispose();
        }
        finally
        {
            foreach (var v in state.Values) v.Dispose();
        }
    }

    [Fact]
    public void APerClassStepCountCheckpointIsRejectedWithAClearMessage()
    {
        using var bank = new ClassPromptBank(3, 1, 1, 0, 2, OptimizerKind.AdamW, 0);
        var ex = Assert.Throws<InvalidDataException>(() => bank.LoadOptimizerState(new Dictionary<string, Tensor> { ["steps"] = zeros(3) }));
        Assert.Contains("one step count per class", ex.Message);
    }
}
