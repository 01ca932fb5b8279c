namespace VptSp.Web.Options;

/// <summary>Section "Security": the access token required when the server listens beyond loopback.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>The token; if empty and a token is required, one is generated at start-up and printed once.</summary>
    public string? Token { get; set; }

    /// <summary>null (default): required exactly when a listening address is not loopback; true/false forces it.</summary>
    public bool? RequireToken { get; set; }
}
