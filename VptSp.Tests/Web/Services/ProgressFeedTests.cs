using VptSp.Core.Training;
using Microsoft.Extensions.Logging.Abstractions;
using VptSp.Runs;

namespace VptSp.Tests.Web.Services;

public sealed class ProgressFeedTests
{
    private sealed class ManualTime : TimeProvider
    {
        public long Ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Ticks;
        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    private static StepProgressEvent Step(long run, int step) => new(run, new StepProgress(1, step, 0, 100, 1, 0.1, 10, TimeSpan.Zero));

    [Fact]
    public async Task StepsAreThrottledPerRunWhileStateAndEpochEventsAlwaysPass()
    {
        var time = new ManualTime();
        using var feed = new ProgressFeed(NullLogger<ProgressFeed>.Instance, time);
        var received = new List<RunEvent>();
        var done = new TaskCompletionSource();
        using var _ = feed.Subscribe(null, e =>
        {
            lock (received) received.Add(e);
            if (e is RunStateChangedEvent { Status: RunState.Completed }) done.TrySetResult();
        });

        for (var i = 1; i <= 10; i++) feed.Publish(Step(1, i));          // same instant: only the first goes out
        feed.Publish(Step(2, 1));                                         // another run is throttled on its own
        time.Advance(ProgressFeed.MinStepInterval);
        feed.Publish(Step(1, 11));                                        // a quarter second later: goes out
        feed.PublishStep(Step(1, 12), force: true);                       // forced (epoch end): goes out
        feed.Publish(new EpochCompletedEvent(1, 1, new Dictionary<string, double>()));
        feed.Publish(new RunStateChangedEvent(1, RunState.Completed, null));
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));

        lock (received)
        {
            Assert.Equal([(1L, 1), (2L, 1), (1L, 11), (1L, 12)], received.OfType<StepProgressEvent>().Select(s => (s.RunId, s.Progress.Step)));
            Assert.Single(received.OfType<EpochCompletedEvent>());
        }
    }

    [Fact]
    public async Task ARunSubscriptionSeesOnlyThatRunAndStopsWhenDisposed()
    {
        using var feed = new ProgressFeed(NullLogger<ProgressFeed>.Instance);
        var seen = new List<long>();
        var all = new TaskCompletionSource();
        var sub = feed.Subscribe(7, e => { lock (seen) seen.Add(e.RunId); });
        using var _ = feed.Subscribe(null, e => { if (e.RunId == 9) all.TrySetResult(); });
        feed.Publish(new RunStateChangedEvent(6, RunState.Running, null));
        feed.Publish(new RunStateChangedEvent(7, RunState.Running, null));
        feed.Publish(new RunStateChangedEvent(8, RunState.Running, null));
        feed.Publish(new RunStateChangedEvent(9, RunState.Running, null));
        await all.Task.WaitAsync(TimeSpan.FromSeconds(10));
        sub.Dispose();
        var afterDispose = new TaskCompletionSource();
        using var __ = feed.Subscribe(null, e => { if (e.RunId == 10) afterDispose.TrySetResult(); });
        feed.Publish(new RunStateChangedEvent(7, RunState.Completed, null));
        feed.Publish(new RunStateChangedEvent(10, RunState.Running, null));
        await afterDispose.Task.WaitAsync(TimeSpan.FromSeconds(10));
        lock (seen) Assert.Equal([7L], seen);
    }

    [Theory]
    [InlineData(1, 10, true)]
    [InlineData(2000, 10, true)]
    [InlineData(2001, 10, false)]
    [InlineData(2010, 10, true)]
    [InlineData(2009, 7, true)]  // an epoch's last step is always kept
    public void StepThinningKeepsEveryStepThenEveryKthAndEpochEnds(int step, int stepsPerEpoch, bool kept) =>
        Assert.Equal(kept, new StepThinning(2000, 10).Keep(step, stepsPerEpoch));
}
