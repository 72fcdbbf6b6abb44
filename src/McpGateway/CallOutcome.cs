namespace McpGateway;

/// <summary>
/// What became of one <c>tools/call</c>: the decision line's <c>outcome</c>, the metrics' counts and
/// <c>mcpgw stats</c> all derive from it. The JSON names live in <see cref="CallOutcomes.Names"/> only, and
/// docs/architecture.md's outcome table is checked against that table.
/// </summary>
internal enum CallOutcome
{
    /// <summary>Sent upstream, and the upstream's answer reached the client.</summary>
    Forwarded,

    /// <summary>The upstream answered with a JSON-RPC error: it refused the call. Quota given back.</summary>
    UpstreamError,

    /// <summary>Never reached a server able to run it. Quota given back.</summary>
    UpstreamUnavailable,

    /// <summary>No answer within the server's timeout after the call was sent.</summary>
    UpstreamTimeout,

    /// <summary>An answer the gateway could not relay: unreadable, a foreign id, an HTTP error page, a broken stream.</summary>
    UpstreamInvalid,

    /// <summary>The answer's stream stayed silent past the server's idle timeout.</summary>
    UpstreamIdle,

    /// <summary>No answer: 202, an empty body, or a stream that ended cleanly without one.</summary>
    UpstreamNoAnswer,

    /// <summary>The client hung up after the call was sent; the upstream may have run it.</summary>
    ClientAborted,

    /// <summary>Refused by the policy.</summary>
    Denied,

    /// <summary>Refused by an enforced rate limit.</summary>
    RateLimited,

    /// <summary>Refused because the rate-limit store could not answer and the limit fails closed.</summary>
    StoreUnavailable,

    /// <summary>Held for a human approval that is pending.</summary>
    ApprovalPending,

    /// <summary>Refused by an approver.</summary>
    ApprovalRejected,

    /// <summary>Its approval was already used by another call.</summary>
    ApprovalUsed,

    /// <summary>Refused because the approval store could not answer (fail closed).</summary>
    ApprovalStoreUnavailable,

    /// <summary>Refused because the tool is not pinned, or its definition no longer matches its pin (issue 15).</summary>
    ToolDrift,

    /// <summary>Refused because the server's tool definitions, which the call must be checked against, could not be read (fail closed).</summary>
    ToolsUnavailable,
}

/// <summary>The one table of <see cref="CallOutcome"/> names, and what each outcome says about the call.</summary>
internal static class CallOutcomes
{
    public static WireNames<CallOutcome> Names { get; } = new(
        ("forwarded", CallOutcome.Forwarded),
        ("upstream_error", CallOutcome.UpstreamError),
        ("upstream_unavailable", CallOutcome.UpstreamUnavailable),
        ("upstream_timeout", CallOutcome.UpstreamTimeout),
        ("upstream_invalid", CallOutcome.UpstreamInvalid),
        ("upstream_idle", CallOutcome.UpstreamIdle),
        ("upstream_no_answer", CallOutcome.UpstreamNoAnswer),
        ("client_aborted", CallOutcome.ClientAborted),
        ("denied", CallOutcome.Denied),
        ("rate_limited", CallOutcome.RateLimited),
        ("store_unavailable", CallOutcome.StoreUnavailable),
        ("approval_pending", CallOutcome.ApprovalPending),
        ("approval_rejected", CallOutcome.ApprovalRejected),
        ("approval_used", CallOutcome.ApprovalUsed),
        ("approval_store_unavailable", CallOutcome.ApprovalStoreUnavailable),
        ("tool_drift", CallOutcome.ToolDrift),
        ("tools_unavailable", CallOutcome.ToolsUnavailable));

    /// <summary>
    /// The outcome a decision line names, for readers of older logs too: <c>upstream_failed</c> is what
    /// every upstream failure was called before the failures were told apart.
    /// </summary>
    public static CallOutcome? Parse(string name) =>
        name == "upstream_failed" ? CallOutcome.UpstreamInvalid : Names.Parse(name);

    /// <summary>The call was sent upstream (whatever the upstream then did).</summary>
    public static bool WasSent(CallOutcome outcome) => outcome is CallOutcome.Forwarded or CallOutcome.ClientAborted || IsUpstreamFailure(outcome);

    public static bool IsUpstreamFailure(CallOutcome outcome) => outcome is CallOutcome.UpstreamError or CallOutcome.UpstreamUnavailable
        or CallOutcome.UpstreamTimeout or CallOutcome.UpstreamInvalid or CallOutcome.UpstreamIdle or CallOutcome.UpstreamNoAnswer;
}
