using System.Reflection;
using VptSp.Core.Diagnostics;

namespace VptSp.Cli;

/// <summary>
/// The CLI's one error policy: any failure becomes exactly one line <c>vptsp: …</c> on standard error and a non-zero
/// exit code (2 bad command line, 130 cancelled, 1 anything else). The stack trace follows only with <c>--verbose</c>.
/// </summary>
public static class CliErrors
{
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Cancelled = 130;

    /// <summary>The single line a failure prints (no line breaks inside).</summary>
    public static string Line(Exception ex)
    {
        ex = Unwrap(ex);
        var message = ex switch
        {
            OperationCanceledException => "cancelled",
            CliException => UserErrors.Flatten(ex.Message),
            _ when UserErrors.IsForUsers(ex) => UserErrors.OneLine(ex),
            // a programming error: say so, with its type, and where the details are
            _ => UserErrors.OneLine(ex) + " — run again with --verbose for the stack trace",
        };
        return "vptsp: " + message;
    }

    public static int ExitCode(Exception ex) => Unwrap(ex) is OperationCanceledException ? Cancelled : Failure;

    private static Exception Unwrap(Exception ex)
    {
        while (true)
        {
            switch (ex)
            {
                case AggregateException { InnerExceptions.Count: 1 } agg:
                    ex = agg.InnerExceptions[0];
                    continue;
                case TargetInvocationException { InnerException: { } inner }:
                    ex = inner;
                    continue;
                default:
                    return ex;
            }
        }
    }
}
