using Microsoft.Extensions.Options;
using VptSp.Web.Options;

namespace VptSp.Web.Security;

/// <summary>Refuses to start with a guessable access token (checked on start, with the other options).</summary>
public sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public const int MinTokenChars = 16;

    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Token)) return ValidateOptionsResult.Success;
        var length = options.Token.Trim().Length;
        return length >= MinTokenChars
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Security:Token is {length} characters long; a token needs at least {MinTokenChars} "
                + "(for example the output of `openssl rand -hex 24`), or leave Security:Token empty to have one generated at start-up");
    }
}
