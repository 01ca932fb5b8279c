using VptSp.Core.Data;
using VptSp.Core.Modeling.Checkpoints;
using VptSp.Core.Training;

namespace VptSp.Core.Diagnostics;

/// <summary>
/// Core's half of the one error policy: which exceptions carry a message written for users (bad input, missing or
/// unreadable files, a checkpoint that does not fit, a <see cref="UserFacingException"/>), and the one-line text a
/// host shows for any exception. Used by the trainer for a run's error, by the CLI and the worker; the web's
/// <c>ErrorPolicy</c> starts from this list and adds its own types and status codes. Anything else — a bare
/// <see cref="InvalidOperationException"/> included — is a programming error.
/// </summary>
public static class UserErrors
{
    /// <summary>True when the message alone tells a user what is wrong.</summary>
    public static bool IsForUsers(Exception ex) => ex is UserFacingException or ConfigException or DatasetLayoutException
        or CheckpointMismatchException or InvalidDataException or IOException or UnauthorizedAccessException
        or ArgumentException or FormatException;

    /// <summary>The message of a user-facing error, or "unexpected error (Type): message" for anything else; always one line.</summary>
    public static string OneLine(Exception ex) => Flatten(IsForUsers(ex) ? ex.Message : $"unexpected error ({ex.GetType().Name}): {ex.Message}");

    /// <summary><paramref name="text"/> with its line breaks replaced by spaces.</summary>
    public static string Flatten(string text) =>
        string.Join(" ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
