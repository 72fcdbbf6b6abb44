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
    public static CallCounts For(string outcome, bool storeErrorSkipped) => outcome switch
    {
        "forwarded" or "client_aborted" => new(true, false, false, false, false, storeErrorSkipped),
        // Every upstream_* outcome of docs/upstream-failures.md (issue 16); upstream_failed is their older name.
        "upstream_error" or "upstream_unavailable" or "upstream_timeout" or "upstream_invalid" or "upstream_idle" or "upstream_no_answer" or "upstream_failed"
            => new(true, false, false, false, true, storeErrorSkipped),
        "denied" or "approval_rejected" or "approval_used" => new(false, true, false, false, false, storeErrorSkipped),
        "rate_limited" => new(false, false, true, false, false, storeErrorSkipped),
        "approval_pending" => new(false, false, false, true, false, storeErrorSkipped),
        "store_unavailable" or "approval_store_unavailable" => new(false, false, false, false, false, true),
        _ => new(false, false, false, false, false, storeErrorSkipped),
    };
}
