namespace VptSp.Core.Diagnostics;

/// <summary>
/// A refusal whose message is written for the user (nothing to resume, an output folder already in use, a demo step
/// that failed, a worker started where it cannot serve). Throw this, not <see cref="InvalidOperationException"/>, which
/// stays a programming error (500 on the web, "unexpected error" on the CLI).
/// </summary>
public class UserFacingException(string message, Exception? inner = null) : Exception(message, inner);
