using VptSp.Web.Components.Shared;

namespace VptSp.Tests.Web.Components;

/// <summary>The one render throttle of the live pages (Runs list, run page).</summary>
public sealed class RenderThrottleTests
{
    /// <summary>A clock that moves only when told and fires its due timers then.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private readonly List<ManualTimer> _timers = [];
        private long _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public int Pending => _timers.Count(t => !t.Done);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new ManualTimer(() => callback(state), _ticks + dueTime.Ticks);
            _timers.Add(timer);
            return timer;
        }

        public void Advance(TimeSpan by)
        {
            _ticks += by.Ticks;
            foreach (var t in _timers.Where(t => !t.Done && t.Due <= _ticks).ToList())
            {
                t.Done = true;
                t.Fire();
            }
        }

        private sealed class ManualTimer(Action fire, long due) : ITimer
        {
            public Action Fire { get; } = fire;
            public long Due { get; } = due;
            public bool Done { get; set; }
            public bool Change(TimeSpan dueTime, TimeSpan period) => throw new NotSupportedException();
            public void Dispose() => Done = true;
            public ValueTask DisposeAsync() { Dispose(); return ValueTask.CompletedTask; }
        }
    }

    private readonly ManualTime _time = new();
    private readonly List<int> _rendered = [];
    private int _value;

    private RenderThrottle Throttle() => new(() => { _rendered.Add(_value); return Task.CompletedTask; }, TimeSpan.FromMilliseconds(250), _time);

    [Fact]
    public void RapidUpdatesCoalesceIntoAFewRendersAndTheLastAlwaysRenders()
    {
        using var throttle = Throttle();
        for (_value = 1; _value <= 100; _value++)   // 100 updates 10 ms apart: one second
        {
            throttle.Request();
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }
        _value = 100;
        _time.Advance(TimeSpan.FromSeconds(1));

        // at 0, 250, 500, 750 ms and the trailing one at 1 s: at most one render per 250 ms
        Assert.InRange(_rendered.Count, 2, 5);
        Assert.Equal(1, _rendered[0]);            // the first update renders at once
        Assert.Equal(100, _rendered[^1]);         // the last update is never lost
        Assert.Equal(_rendered.Order(), _rendered);
        Assert.Equal(0, _time.Pending);
    }

    [Fact]
    public void AnUpdateAfterAQuietSpellRendersAtOnce()
    {
        using var throttle = Throttle();
        _value = 1;
        throttle.Request();
        _time.Advance(TimeSpan.FromSeconds(1));
        _value = 2;
        throttle.Request();
        Assert.Equal([1, 2], _rendered);
        Assert.Equal(0, _time.Pending);
    }

    [Fact]
    public void DisposingDropsThePendingRenderAndItsTimer()
    {
        var throttle = Throttle();
        _value = 1;
        throttle.Request();
        _value = 2;
        throttle.Request();                       // within the interval: scheduled
        Assert.Equal(1, _time.Pending);
        throttle.Dispose();
        Assert.Equal(0, _time.Pending);
        _time.Advance(TimeSpan.FromSeconds(1));
        throttle.Request();
        Assert.Equal([1], _rendered);
    }
}
