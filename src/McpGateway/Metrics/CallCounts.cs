namespace McpGateway.Metrics;

/// <summary>
/// What one tools/call adds to each count metric, derived from its decision-log outcome. One place maps
/// outcomes to metrics, so the EMF document, the Prometheus counters and <c>mcpgw stats</c> agree.
/// </summary>
internal readonly record struct CallCounts(bool Allowed, bool Denied, bool RateLimited, bool ApprovalRequired, bool UpstreamError, bool StoreError)
{
    /// <summary>
    /// Allowed: the policy let the call through and it was sent upstream (whatever the upstream then did).
    /// Denied: refused by the policy or by an approver. Store errors refuse a call (fail closed) without being
    /// the policy's denial; <paramref name="storeErrorSkipped"/> marks a limit skipped under
    /// <c>on_store_error: allow</c>, a store error on a call that went through.
    /// </summary>
    /// <remarks><c>ShadowDenied</c> comes from the line's <c>shadow</c> field, not its outcome (which stays what happened).</remarks>
    public static CallCounts For(CallOutcome? outcome, bool storeErrorSkipped) => outcome switch
    {
        null => new(false, false, false, false, false, storeErrorSkipped),
        CallOutcome.Forwarded or CallOutcome.ClientAborted => new(true, false, false, false, false, storeErrorSkipped),
        { } sent when CallOutcomes.IsUpstreamFailure(sent) => new(true, false, false, false, true, storeErrorSkipped),
        CallOutcome.Denied or CallOutcome.ApprovalRejected or CallOutcome.ApprovalUsed or CallOutcome.ToolDrift => new(false, true, false, false, false, storeErrorSkipped),
        CallOutcome.ToolsUnavailable => new(false, false, false, false, true, storeErrorSkipped),
        CallOutcome.RateLimited => new(false, false, true, false, false, storeErrorSkipped),
        CallOutcome.ApprovalPending => new(false, false, false, true, false, storeErrorSkipped),
        CallOutcome.StoreUnavailable or CallOutcome.ApprovalStoreUnavailable => new(false, false, false, false, false, true),
        _ => new(false, false, false, false, false, storeErrorSkipped),
    };

    /// <summary>The counts of a decision line's <c>outcome</c> as written; a name no table knows counts as none.</summary>
    public static CallCounts For(string outcome, bool storeErrorSkipped) => For(CallOutcomes.Parse(outcome), storeErrorSkipped);
}
