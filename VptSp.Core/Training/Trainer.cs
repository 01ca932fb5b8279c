namespace VptSp.Core.Training;

/// <summary>
/// The training engine: one run at a time on the calling thread (hosts give it a dedicated thread, since dispose
/// scopes and grad mode are per thread). A failing run never throws: its outcome is <see cref="RunState.Failed"/>
/// with the error text, which also goes to the observer and the run's log.
/// </summary>
public sealed class Trainer : ITrainingEngine
{
    public TrainingOutcome Run(TrainingRequest request, ITrainingObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(observer);
        var log = new RunLog(new RunDirectory(request.RunDirectory), observer);
        try
        {
            using var session = TrainingSession.Open(request, log);
            return session.Run(cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var message = Diagnostics.UserErrors.OneLine(ex);
            log.Write($"run failed: {message}");
            observer.OnStateChanged(RunState.Failed, message);
            return new TrainingOutcome(RunState.Failed, 0, null, null, message);
        }
    }
}

/// <summary>Writes log lines to the run's log.txt and to the observer.</summary>
internal sealed class RunLog(RunDirectory directory, ITrainingObserver observer)
{
    public RunDirectory Directory { get; } = directory;
    public ITrainingObserver Observer { get; } = observer;

    public void Write(string line)
    {
        try
        {
            // A run that failed before it started leaves no folder behind.
            if (System.IO.Directory.Exists(Directory.Path)) Directory.AppendLog(line);
        }
        catch (IOException)
        {
            // the log is best effort; the observer still gets the line
        }
        Observer.OnLog(line);
    }
}
