using System.Collections.Concurrent;
using System.Threading.Channels;

namespace VptSp.Web.Services.Runs;

/// <summary>
/// The live event feed (<see cref="IRunEvents"/>). Publishing never blocks (safe on the training thread);
/// step events are throttled per run to <see cref="MinStepInterval"/>, state and epoch events always go through.
/// Subscribers are called in order on one dispatcher task, off the training thread.
/// </summary>
public sealed class ProgressFeed : IRunEvents, IDisposable
{
    public static readonly TimeSpan MinStepInterval = TimeSpan.FromMilliseconds(250);

    private readonly Channel<RunEvent> _events = Channel.CreateUnbounded<RunEvent>(new UnboundedChannelOptions { SingleReader = true });
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
        var sub = new Subscription(this, runId, handler);
        lock (_gate) _subscriptions = _subscriptions.Add(sub);
        return sub;
    }

    /// <summary>Publishes a state change or epoch event (never throttled).</summary>
    public void Publish(RunEvent e)
    {
        if (e is StepProgressEvent step) { PublishStep(step, force: false); return; }
        if (e is RunStateChangedEvent) _lastStepTicks.TryRemove(e.RunId, out _);
        _events.Writer.TryWrite(e);
    }

    /// <summary>Publishes a step unless one of the same run went out less than <see cref="MinStepInterval"/> ago (<paramref name="force"/> skips the check).</summary>
    public bool PublishStep(StepProgressEvent e, bool force)
    {
        var now = _time.GetTimestamp();
        var last = _lastStepTicks.GetOrAdd(e.RunId, long.MinValue);
        if (!force && last != long.MinValue && _time.GetElapsedTime(last, now) < MinStepInterval) return false;
        _lastStepTicks[e.RunId] = now;
        _events.Writer.TryWrite(e);
        return true;
    }

    private async Task DispatchAsync()
    {
        await foreach (var e in _events.Reader.ReadAllAsync())
        {
            foreach (var sub in Volatile.Read(ref _subscriptions).Items)
            {
                if (sub.RunId is { } id && id != e.RunId) continue;
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

    private sealed class Subscription(ProgressFeed feed, long? runId, Action<RunEvent> handler) : IDisposable
    {
        public long? RunId { get; } = runId;
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
