using TorchSharp;
using TorchSharp.Modules;
using VptSp.Core.Modeling;
using static TorchSharp.torch;
using VptSp.Core.Runtime;

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
        using var bank = new ClassPromptBank(6, 2, 1, 0, 4, optim, decay);
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
    public void RowsKeepTheirOwnStepCounts()
    {
        manual_seed(4);
        using var bank = new ClassPromptBank(3, 1, 1, 0, 2, "adamw", 0);
        // class 0 is stepped twice, class 2 once; Adam's first step moves every element by exactly lr (sign of the gradient)
        var b = bank.Gather(tensor(new long[] { 0 }), CPU);
        b.Leaves[0].sum().backward();
        bank.Apply(b, 0.1);
        var before = bank.Rows[0][2].clone();
        b = bank.Gather(tensor(new long[] { 0, 2 }), CPU);
        b.Leaves[0].sum().backward();
        bank.Apply(b, 0.1);
        using var tenth = 0.1f.ToScalar();
        Assert.True((before - bank.Rows[0][2]).allclose(full(1, 2, tenth), 1e-5, 1e-6));
    }
}
