using Microsoft.Extensions.Logging;

namespace McpGateway.Admin;

/// <summary>
/// The approver page's log messages (ids 2200-2299). They name approvers, never a credential or a cookie.
/// </summary>
internal static partial class AdminPageLog
{
    [LoggerMessage(2200, LogLevel.Information, "Approver {Admin} signed in to the approver page")]
    public static partial void SignedIn(ILogger logger, string admin);

    [LoggerMessage(2201, LogLevel.Warning, "Approver page sign-in refused: the credential is not an admin credential")]
    public static partial void SignInRefused(ILogger logger);

    [LoggerMessage(2202, LogLevel.Information, "Approver {Admin} signed out of the approver page")]
    public static partial void SignedOut(ILogger logger, string admin);

    [LoggerMessage(2203, LogLevel.Warning, "Approver page request refused: {Reason}")]
    public static partial void Refused(ILogger logger, string reason);
}
