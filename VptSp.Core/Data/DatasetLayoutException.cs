namespace VptSp.Core.Data;

/// <summary>
/// A dataset folder does not have the layout its reader expects. The message is one line naming the
/// missing file or folder and the expected layout. Derives from <see cref="IOException"/> so hosts that
/// report I/O problems as one line (the CLI) report this one the same way.
/// </summary>
public sealed class DatasetLayoutException(string message) : IOException(message)
{
    /// <summary>"&lt;dataset&gt;: missing &lt;what&gt; (expected &lt;layout&gt;)".</summary>
    public static DatasetLayoutException Missing(string dataset, string what, string expectedLayout) =>
        new($"{dataset}: missing {what} (expected {expectedLayout})");
}
