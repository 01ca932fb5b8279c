using VptSp.Core.Data;
using VptSp.Core.Modeling.Checkpoints;
using VptSp.Core.Training;

namespace VptSp.Core.Diagnostics;

/// <summary>
/// Which exceptions carry a message written for users (bad input, missing or unreadable files, a checkpoint that does
/// not fit), and the one-line text a host shows for any exception. Used by the trainer for a run's error and by the CLI.
/// </summary>
public static class UserErrors
{
    /// <summary>True when the message alone tells a user what is wrong.</summary>
    public static bool IsForUsers(Exception ex) => ex is ConfigException or DatasetLayoutException or CheckpointMismatchException
        or InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException or FormatException
        or InvalidOperationException;

    /// <summary>The message of a user-facing error, or "unexpected error (Type): message" for anything else; always one line.</summary>
    public static string OneLine(Exception ex) => Flatten(IsForUsers(ex) ? ex.Message : $"unexpected error ({ex.GetType().Name}): {ex.Message}");

    /// <summary><paramref name="text"/> with its line breaks replaced by spaces.</summary>
    public static string Flatten(string text) =>
        string.Join(" ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
