namespace McpGateway.Approvals;

/// <summary>
/// Which exceptions from an <see cref="IApprovalStore"/> mean the store could not answer (DynamoDB unreachable, its
/// table missing or throttled, a deadline that passed), as opposed to a caller that went away. Every caller fails
/// closed on them: a call that needs an approval is refused, and an approver is told the store is unavailable.
/// </summary>
internal static class ApprovalStoreFailure
{
    public static bool Is(Exception ex, CancellationToken callerToken) =>
        ex is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException or HttpRequestException or IOException or InvalidOperationException ||
        (ex is OperationCanceledException && !callerToken.IsCancellationRequested);
}
