using VptSp.Tests.Support;

namespace VptSp.Tests.Core.Training;

/// <summary>
/// Trajectory parity with the authors' code: each fixture under Fixtures/ReferenceParity holds the initial tensors, the
/// batches, the per-step losses and the final tensors of 20 steps of the reference's own model, loss and optimisers
/// (tools/reference-parity/make_trajectory_fixtures.py). VptSp replays the same init and batches in fp32 through its model,
/// training loss and optimisers (<see cref="ReferenceTrajectory"/>) and must match every loss and every final tensor to 1e-4 relative.
/// </summary>
public class ReferenceParityTests
{
    private static readonly string[] CaseNames =
    [
        "vptspg_dense_sgd_both_all",
        "vptspg_bank_adamw_in_batch",
        "vptspg_dense_adamw_in_batch_no_bitfit",
        "vptspg_bank_sgd_both_all_no_bitfit",
        "vptspg_dense_sgd_block_steps",
        "vpt_adamw_both_all",
        "vpt_bitfit_sgd_no_proxy_net",
        "bitfit_no_head_adamw",
        "adapter_reference_w48_sgd",
        "vptspg_dense_sgd_empty_blocks",
        "vptspg_bank_sgd_step_epochs",
    ];

    public static TheoryData<string> Cases => new(CaseNames);

    [Fact]
    public void EveryFixtureCaseIsReplayed() =>
        Assert.Equal(ReferenceTrajectory.CaseNames(ReferenceTrajectory.DefaultRoot).Order(StringComparer.Ordinal), CaseNames.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Cases))]
    public void TwentyStepsMatchTheReferenceImplementationsLossesAndFinalTensors(string name)
    {
        using var trajectory = ReferenceTrajectory.Load(ReferenceTrajectory.DefaultRoot, name);
        using var model = trajectory.NewModel();
        var losses = trajectory.Replay(model);
        var expected = trajectory.ExpectedLosses;
        Assert.Equal(expected.Length, losses.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(losses[i] - expected[i]) <= ReferenceTrajectory.Tolerance * Math.Abs(expected[i]),
                $"{name} step {i + 1}: loss {losses[i]:R} vs reference {expected[i]:R}");

        var worst = trajectory.CompareFinal(model).Where(g => !g.Within)
            .Select(g => $"{g.Key}: max |Δ| {g.MaxAbsDiff:G3} vs max |ref| {g.MaxAbsReference:G3}").ToList();
        Assert.True(worst.Count == 0, $"{name}: final tensors differ from the reference: {string.Join("; ", worst)}");
    }
}
