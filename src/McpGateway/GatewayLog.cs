using Microsoft.Extensions.Logging;

namespace McpGateway;

/// <summary>
/// The gateway's operational log messages, source-generated with stable event ids. Messages name
/// servers, grants, parameters and error kinds; never tokens, secrets or argument values.
/// </summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1000, LogLevel.Information, "Configuration loaded from {Source}: {Servers} server(s), {Policies} policy(ies), {Grants} grant(s)")]
    public static partial void ConfigLoaded(ILogger logger, string source, int servers, int policies, int grants);

    [LoggerMessage(1001, LogLevel.Error, "Configuration entry rejected ({Source}): {Problem}")]
    public static partial void ConfigEntryRejected(ILogger logger, string source, string problem);

    [LoggerMessage(1002, LogLevel.Warning, "No Gateway:SessionKey is configured: session ids are sealed with a random key and stop working when this process ends. Set one shared key for every instance.")]
    public static partial void EphemeralSessionKey(ILogger logger);

    [LoggerMessage(1003, LogLevel.Warning, "Parameter Store prefix {Prefix} could not be read: {Reason}")]
    public static partial void SsmUnavailable(ILogger logger, string prefix, string reason);

    [LoggerMessage(1004, LogLevel.Information, "Configuration entry {Parameter} loaded at version {Version}")]
    public static partial void SsmEntryLoaded(ILogger logger, string parameter, long version);

    [LoggerMessage(1005, LogLevel.Error, "Configuration entry {Parameter} version {Version} rejected; the last good version stays in force: {Problem}")]
    public static partial void SsmEntryRejected(ILogger logger, string parameter, long version, string problem);

    [LoggerMessage(1006, LogLevel.Information, "Configuration entry {Parameter} was deleted and is no longer in force")]
    public static partial void SsmEntryRemoved(ILogger logger, string parameter);

    [LoggerMessage(1100, LogLevel.Warning, "Upstream {Server} is unavailable ({Reason})")]
    public static partial void UpstreamUnavailable(ILogger logger, string server, string reason);

    [LoggerMessage(1101, LogLevel.Warning, "Upstream {Server} did not answer within {TimeoutSeconds} s")]
    public static partial void UpstreamTimedOut(ILogger logger, string server, double timeoutSeconds);

    [LoggerMessage(1102, LogLevel.Warning, "Upstream {Server} sent a response the gateway could not read ({Reason})")]
    public static partial void UpstreamBrokeProtocol(ILogger logger, string server, string reason);

    [LoggerMessage(1103, LogLevel.Error, "Upstream {Server} rejected the gateway's credentials with HTTP {Status}; {Hint}")]
    public static partial void UpstreamRejectedCredentials(ILogger logger, string server, int status, string hint);

    [LoggerMessage(1104, LogLevel.Error, "Request to upstream {Server} could not be signed: {Reason}")]
    public static partial void UpstreamSigningFailed(ILogger logger, string server, string reason);

    [LoggerMessage(1105, LogLevel.Warning, "Upstream {Server} answered HTTP {Status} without a JSON-RPC message ({MediaType})")]
    public static partial void UpstreamHttpFailure(ILogger logger, string server, int status, string mediaType);

    [LoggerMessage(1106, LogLevel.Warning, "Upstream {Server} answered request {RequestId} with a message that is not its answer ({Reason})")]
    public static partial void UpstreamForeignAnswer(ILogger logger, string server, string requestId, string reason);

    [LoggerMessage(1107, LogLevel.Warning, "Upstream {Server} sent nothing on its stream for {IdleSeconds} s; the gateway ended the stream")]
    public static partial void UpstreamStreamIdle(ILogger logger, string server, double idleSeconds);

    [LoggerMessage(1108, LogLevel.Warning, "Upstream {Server}'s stream failed after the gateway's 200 and before its answer ({Reason})")]
    public static partial void UpstreamStreamFailed(ILogger logger, string server, string reason);

    [LoggerMessage(1200, LogLevel.Information, "Request refused with {Error} on server path {Server}")]
    public static partial void RequestRefused(ILogger logger, GatewayError error, string server);

    [LoggerMessage(1400, LogLevel.Warning, "Approval webhook delivery for {ApprovalId} failed: {Reason}")]
    public static partial void ApprovalWebhookFailed(ILogger logger, string approvalId, string reason);

    [LoggerMessage(1401, LogLevel.Error, "Approval store failed: {Reason}")]
    public static partial void ApprovalStoreFailed(ILogger logger, string reason);

    [LoggerMessage(1300, LogLevel.Error, "Counter store failed for {Counter}: {Reason}")]
    public static partial void CounterStoreFailed(ILogger logger, string counter, string reason);

    [LoggerMessage(1301, LogLevel.Warning, "Could not give back a reservation of {Counter} ({Reason}); it stays counted until its window ends")]
    public static partial void CounterRollbackFailed(ILogger logger, string counter, string reason);

    [LoggerMessage(1302, LogLevel.Information, "Rate-limit counters are kept in DynamoDB table {Table}")]
    public static partial void UsingDynamoDbCounters(ILogger logger, string table);
}
