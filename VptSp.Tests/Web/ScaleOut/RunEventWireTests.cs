using VptSp.Core.Training;
using VptSp.Runs;

namespace VptSp.Tests.Web.ScaleOut;

public sealed class RunEventWireTests
{
    [Fact]
    public void StepEpochAndStateEventsTravelWithTheirOriginAndComeBackEqual()
    {
        RunEvent[] events =
        [
            new StepProgressEvent(7, new StepProgress(2, 35, 30, 120, 0.4375, 0.001, 61.5, TimeSpan.FromSeconds(93.25), EtaReady: false)),
            new StepProgressEvent(7, new StepProgress(4, 120, 30, 120, 0.125, 2.5e-5, 58, TimeSpan.Zero)),
            new EpochCompletedEvent(7, 2, new Dictionary<string, double> { ["recall@1"] = 0.8125, ["map@r"] = 0.25 }),
            new RunStateChangedEvent(7, RunState.Interrupted, "its worker stopped"),
        ];
        foreach (var e in events)
        {
            var payload = RunEventWire.Write(e, "abc");
            Assert.True(payload.Length < 8000);
            Assert.True(RunEventWire.TryRead(payload, out var back, out var origin));
            Assert.Equal("abc", origin);
            if (e is EpochCompletedEvent epoch)
            {
                var b = Assert.IsType<EpochCompletedEvent>(back);
                Assert.Equal((epoch.RunId, epoch.Epoch), (b.RunId, b.Epoch));
                Assert.Equal(epoch.Metrics.OrderBy(kv => kv.Key), b.Metrics.OrderBy(kv => kv.Key));
            }
            else
            {
                Assert.Equal(e, back);
            }
        }
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"o\":\"x\",\"k\":\"mystery\",\"r\":1}")]
    [InlineData("{\"o\":\"x\",\"k\":\"state\",\"r\":1,\"st\":\"exploded\"}")]
    [InlineData("{\"k\":\"step\",\"r\":1}")]
    public void APayloadThatIsNotARunEventIsRefused(string payload) =>
        Assert.False(RunEventWire.TryRead(payload, out _, out _));

    [Fact]
    public void ANonFiniteLossTravelsAsZeroInsteadOfBreakingTheJson()
    {
        var payload = RunEventWire.Write(new StepProgressEvent(1, new StepProgress(1, 1, 2, 2, double.NaN, 0.1, 1, TimeSpan.Zero)), "o");
        Assert.True(RunEventWire.TryRead(payload, out var back, out _));
        Assert.Equal(0, Assert.IsType<StepProgressEvent>(back).Progress.Loss);
    }
}
