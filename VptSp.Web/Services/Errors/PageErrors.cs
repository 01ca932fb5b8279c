namespace VptSp.Web.Services.Errors;

/// <summary>
/// What a page's catch block calls: the text to show for an exception under <see cref="ErrorPolicy"/>; server faults
/// are logged with their stack trace and shown as <see cref="ErrorPolicy.ServerErrorText"/>.
/// </summary>
public sealed class PageErrors(ILogger<PageErrors> logger)
{
    /// <summary>The text to show; <paramref name="doing"/> (e.g. "queueing the demo") names the action in the log.</summary>
    public string Message(Exception ex, string? doing = null) => Log(ex, doing) ? ex.Message : ErrorPolicy.ServerErrorText;

    /// <summary>Logs a server fault (a user's error is not logged); true when the exception is the user's.</summary>
    public bool Log(Exception ex, string? doing = null)
    {
        if (ErrorPolicy.IsForUsers(ex)) return true;
        logger.LogError(ex, "Unexpected error on a page{Doing}", doing is null ? "" : " while " + doing);
        return false;
    }
}
