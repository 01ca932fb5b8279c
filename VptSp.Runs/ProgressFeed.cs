using System.Collections.Concurrent;
using System.Threading.Channels;

namespace VptSp.Runs;

/// <summary>
/// The live event feed (<see cref="IRunEvents"/>). Publishing never blocks (safe on the training thread);
/// step events are throttled per run to <see cref="MinStepInterval"/>, state and epoch events always go through.
/// Subscribers are called in order on one dispatcher task, off the training thread. Events of runs executing in other
/// processes (PostgreSQL NOTIFY, <see cref="PostgresRunEvents"/>) come in through <see cref="PublishRemote"/>: every
/// subscriber sees them except those that asked for this process's own events only (<see cref="SubscribeLocal"/>).
/// </summary>
public sealed class ProgressFeed : IRunEvents, IDisposable
{
    public static readonly TimeSpan MinStepInterval = TimeSpan.FromMilliseconds(250);

    private readonly Channel<(RunEvent Event, bool Remote)> _events = Channel.CreateUnbounded<(RunEvent, bool)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, long> _lastStepTicks = new();
    private readonly Lock _gate = new();
    private readonly ILogger<ProgressFeed> _logger;
    private readonly TimeProvider _time;
    private readonly Task _dispatcher;
    private ImmutableSubscriptions _subscriptions = ImmutableSubscriptions.Empty;

    public ProgressFeed(ILogger<ProgressFeed> logger, TimeProvider? time = null)
    {
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _dispatcher = Task.Run(DispatchAsync);
    }

    public IDisposable Subscribe(long? runId, Action<RunEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var sub = new Subscription(this, runId, handler, LocalOnly: false);
        lock (_gate) _subscriptions = _subscriptions.Add(sub);
        return sub;
    }

    /// <summary>Subscribe to the events of runs executing in this process only (what this process tells the others).</summary>
    public IDisposable SubscribeLocal(Action<RunEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var sub = new Subscription(this, null, handler, LocalOnly: true);
        lock (_gate) _subscriptions = _subscriptions.Add(sub);
        return sub;
    }

    /// <summary>An event of a run executing in another process (already throttled there).</summary>
    public void PublishRemote(RunEvent e)
    {
        if (e is RunStateChangedEvent) _lastStepTicks.TryRemove(e.RunId, out _);
        _events.Writer.TryWrite((e, true));
    }

    /// <summary>Publishes a state change or epoch event (never throttled).</summary>
    public void Publish(RunEvent e)
    {
        if (e is StepProgressEvent step) { PublishStep(step, force: false); return; }
        if (e is RunStateChangedEvent) _lastStepTicks.TryRemove(e.RunId, out _);
        _events.Writer.TryWrite((e, false));
    }

    /// <summary>Publishes a step unless one of the same run went out less than <see cref="MinStepInterval"/> ago (<paramref name="force"/> skips the check).</summary>
    public bool PublishStep(StepProgressEvent e, bool force)
    {
        var now = _time.GetTimestamp();
        var last = _lastStepTicks.GetOrAdd(e.RunId, long.MinValue);
        if (!force && last != long.MinValue && _time.GetElapsedTime(last, now) < MinStepInterval) return false;
        _lastStepTicks[e.RunId] = now;
        _events.Writer.TryWrite((e, false));
        return true;
    }

    private async Task DispatchAsync()
    {
        await foreach (var (e, remote) in _events.Reader.ReadAllAsync())
        {
            foreach (var sub in Volatile.Read(ref _subscriptions).Items)
            {
                if (sub.RunId is { } id && id != e.RunId) continue;
                if (remote && sub.LocalOnly) continue;
                try { sub.Handler(e); }
                catch (Exception ex) { _logger.LogWarning(ex, "a run-event subscriber threw"); }
            }
        }
    }

    private void Remove(Subscription sub)
    {
        lock (_gate) _subscriptions = _subscriptions.Remove(sub);
    }

    public void Dispose()
    {
        _events.Writer.TryComplete();
        _dispatcher.Wait(TimeSpan.FromSeconds(2));
    }

    private sealed class Subscription(ProgressFeed feed, long? runId, Action<RunEvent> handler, bool LocalOnly) : IDisposable
    {
        public long? RunId { get; } = runId;
        public bool LocalOnly { get; } = LocalOnly;
        public Action<RunEvent> Handler { get; } = handler;
        public void Dispose() => feed.Remove(this);
    }

    private sealed record ImmutableSubscriptions(Subscription[] Items)
    {
        public static readonly ImmutableSubscriptions Empty = new([]);
        public ImmutableSubscriptions Add(Subscription s) => new([.. Items, s]);
        public ImmutableSubscriptions Remove(Subscription s) => new(Items.Where(x => x != s).ToArray());
    }
}
