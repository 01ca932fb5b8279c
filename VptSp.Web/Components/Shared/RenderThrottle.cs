namespace VptSp.Web.Components.Shared;

/// <summary>
/// Coalesces a component's renders for live run events (a few a second, never one per event). <see cref="Request"/>
/// renders at once when the last render is at least <see cref="Interval"/> old, else schedules one trailing render for
/// when it is: every request in between folds into it, so the latest state wins and the last update always shows.
/// Dispose it with the component (a pending render is dropped with its timer).
/// </summary>
public sealed class RenderThrottle : IDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(250);

    private readonly Func<Task> _render;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private long? _lastRender;
    private ITimer? _trailing;
    private bool _disposed;

    /// <param name="render">Renders the component: <c>() => InvokeAsync(StateHasChanged)</c>.</param>
    public RenderThrottle(Func<Task> render, TimeSpan? interval = null, TimeProvider? time = null)
    {
        _render = render;
        Interval = interval ?? DefaultInterval;
        _time = time ?? TimeProvider.System;
    }

    public TimeSpan Interval { get; }

    /// <summary>Asks for a render of the component's current state.</summary>
    public void Request()
    {
        lock (_gate)
        {
            if (_disposed || _trailing is not null) return; // the trailing render will show this update too
            var now = _time.GetTimestamp();
            var wait = _lastRender is { } last ? Interval - _time.GetElapsedTime(last, now) : TimeSpan.Zero;
            if (wait > TimeSpan.Zero)
            {
                _trailing = _time.CreateTimer(_ => RenderTrailing(), null, wait, Timeout.InfiniteTimeSpan);
                return;
            }
            _lastRender = now;
        }
        _ = RenderAsync();
    }

    private void RenderTrailing()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _trailing?.Dispose();
            _trailing = null;
            _lastRender = _time.GetTimestamp();
        }
        _ = RenderAsync();
    }

    private async Task RenderAsync()
    {
        try
        {
            await _render();
        }
        catch (ObjectDisposedException)
        {
            // the circuit went away between the event and the render
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _trailing?.Dispose();
            _trailing = null;
        }
    }
}
